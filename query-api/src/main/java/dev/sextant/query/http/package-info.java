/**
 * How every Sextant module hands its HTTP routes to the server: one
 * {@link dev.sextant.query.http.RoutedService} per module, mounted with one call.
 */
package dev.sextant.query.http;
