/**
 * Go text/template as Prometheus rule authors use it in labels and annotations: parser, executor,
 * Go's fmt verbs and Prometheus's template functions, with bounded work. Not API.
 */
package dev.sextant.alert.internal.template;
