package dev.sextant.storage.conformance;

/**
 * How a test acts as one tenant of a multi-tenant store (see
 * {@link StorageConformance#tenants}).
 */
@FunctionalInterface
public interface Tenants {
  /**
   * Makes calls on the current thread act for {@code tenant} until the result is closed, after
   * which they act as before.
   */
  AutoCloseable as(String tenant) throws Exception;
}
