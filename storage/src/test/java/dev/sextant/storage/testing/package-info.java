/**
 * Helpers for tests of storage and of the modules above it, shipped in storage's test-jar: a
 * clock moved by hand ({@code ManualClock}).
 */
package dev.sextant.storage.testing;
