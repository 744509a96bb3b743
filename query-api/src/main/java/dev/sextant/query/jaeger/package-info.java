/** The Jaeger-compatible query API, so Grafana's Jaeger data source and jaeger-ui can use Sextant. */
package dev.sextant.query.jaeger;
