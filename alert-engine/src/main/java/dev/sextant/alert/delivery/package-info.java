/**
 * What other modules see of delivery: the {@link dev.sextant.alert.delivery.AuditLog} of every
 * attempt to send a page. The outbox, worker and receivers are in {@code internal.delivery}.
 */
package dev.sextant.alert.delivery;
