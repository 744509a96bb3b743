/**
 * The storage conformance kit: the contract of every public reader and writer of
 * {@code dev.sextant.storage} as JUnit 5 tests, published in the storage test-jar. A backend
 * runs it by extending {@link dev.sextant.storage.conformance.StorageConformance}: the embedded
 * store ({@code EmbeddedStorageConformanceTest}), the server's per-tenant store
 * ({@code TenantStorageConformanceTest} in {@code server}) and, when it exists, the cluster's
 * remote store. The tests use the public API only.
 */
package dev.sextant.storage.conformance;
