/** The Prometheus HTTP API ({@code /api/v1/...}) as an Armeria service. */
package dev.sextant.query.prometheus;
