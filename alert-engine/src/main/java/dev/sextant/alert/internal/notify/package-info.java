/**
 * The built-in Alertmanager: the alerts rules send, routing trees, grouping with group_wait and
 * group_interval, inhibition, the sent-notification log and the notifications handed to delivery.
 * Not API.
 */
package dev.sextant.alert.internal.notify;
