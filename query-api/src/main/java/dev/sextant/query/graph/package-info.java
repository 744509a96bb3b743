/** The service dependency graph derived from client/server and producer/consumer span pairs. */
package dev.sextant.query.graph;
