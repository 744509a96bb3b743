/**
 * What other modules use of the notification side: silences ({@link
 * dev.sextant.alert.notify.Silences}), Alertmanager-style matcher parsing ({@link
 * dev.sextant.alert.notify.Matchers}) and the evidence (example traces, error logs) attached to
 * firing pages. Routing, grouping and inhibition are in {@code internal.notify}.
 */
package dev.sextant.alert.notify;
