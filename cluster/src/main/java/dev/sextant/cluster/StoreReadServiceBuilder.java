package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.Storage;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/** Builds a {@link StoreReadService}. */
public final class StoreReadServiceBuilder {
  private final Function<String, Storage> tenants;
  private Supplier<? extends Collection<TopicPartition>> partitions = Set::of;

  StoreReadServiceBuilder(Function<String, Storage> tenants) {
    this.tenants = requireNonNull(tenants, "tenants");
  }

  /**
   * The partitions the node owns now, e.g. {@link StoreConsumer#assignment()}; asked on each
   * {@code GET partitions}. {@link RemoteStorage} sends a trace read to the owner of the
   * trace's {@link ClusterTopics#SPANS} partition. None by default.
   */
  public StoreReadServiceBuilder partitions(
      Supplier<? extends Collection<TopicPartition>> partitions) {
    this.partitions = requireNonNull(partitions, "partitions");
    return this;
  }

  public StoreReadService build() {
    return new DefaultStoreReadService(tenants, partitions);
  }
}
