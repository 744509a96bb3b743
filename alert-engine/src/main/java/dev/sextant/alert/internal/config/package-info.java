/**
 * Reading the notifier config (Alertmanager's {@code alertmanager.yml} shape) into the engine's
 * routes, receivers, inhibition rules and time intervals: every key is either supported or
 * refused with its path, and secrets are masked in the copy the status API shows. Not API.
 */
package dev.sextant.alert.internal.config;
