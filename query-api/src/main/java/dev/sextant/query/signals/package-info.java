/** Golden signals (latency, traffic, errors, saturation) through the PromQL engine. */
package dev.sextant.query.signals;
