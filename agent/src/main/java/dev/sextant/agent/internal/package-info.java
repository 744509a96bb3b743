/**
 * Byte-code instrumentation the extension adds to the agent: the correlation ID in logback's MDC.
 * Not API.
 */
package dev.sextant.agent.internal;
