/**
 * Test helpers other modules reuse through this module's test-jar: {@link
 * dev.sextant.cluster.testing.KafkaBroker}, a real single-node KRaft broker in a child JVM.
 */
package dev.sextant.cluster.testing;
