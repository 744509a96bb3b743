package dev.sextant.cluster;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.cluster.internal.CorruptRecordException;
import dev.sextant.cluster.internal.PinWire;
import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's read API: decodes a call, reads the tenant's storage (or, for the pin calls, writes
 * its pinned set), encodes the answer.
 */
final class DefaultStoreReadService implements StoreReadService {
  private static final Logger logger = LoggerFactory.getLogger(DefaultStoreReadService.class);
  static final MediaType WIRE = MediaType.parse("application/x-sextant-read");

  private final Function<String, Storage> tenants;
  private final Supplier<? extends Collection<TopicPartition>> partitions;

  DefaultStoreReadService(Function<String, Storage> tenants,
      Supplier<? extends Collection<TopicPartition>> partitions) {
    this.tenants = tenants;
    this.partitions = partitions;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String path = ctx.mappedPath();
    String call = path.substring(path.lastIndexOf('/') + 1);
    if (call.equals("partitions")) {
      WireWriter w = ReadWire.writer();
      List<TopicPartition> owned = new ArrayList<>(partitions.get());
      w.writeVarInt(owned.size());
      for (TopicPartition tp : owned) {
        w.writeString(tp.topic());
        w.writeVarInt(tp.partition());
      }
      return HttpResponse.of(HttpStatus.OK, WIRE, w.toByteArray());
    }
    if (req.method() != HttpMethod.POST) {
      return text(HttpStatus.METHOD_NOT_ALLOWED, "method: " + req.method() + " (expected: POST)");
    }
    String header = req.headers().get(TENANT_HEADER);
    String tenant = header == null || header.isEmpty() ? DEFAULT_TENANT : header;
    return HttpResponse.of(req.aggregate().thenApplyAsync(
        agg -> answer(call, tenant, agg), ctx.blockingTaskExecutor()));
  }

  private HttpResponse answer(String call, String tenant, AggregatedHttpRequest agg) {
    try {
      WireReader r = ReadWire.reader(agg.content().array());
      WireWriter w = ReadWire.writer();
      if (!read(call, tenants.apply(tenant), r, w)) {
        return text(HttpStatus.NOT_FOUND, "call: " + call + " (expected: one of trace, search,"
            + " services, span-names, logs, select, label-names, label-values, metadata,"
            + " partitions, pin, unpin, pins, resolve)");
      }
      return HttpResponse.of(HttpStatus.OK, WIRE, w.toByteArray());
    } catch (IllegalArgumentException | CorruptRecordException e) {
      return text(HttpStatus.BAD_REQUEST, String.valueOf(e.getMessage()));
    } catch (Pins.PinLimitException e) {
      return text(HttpStatus.TOO_MANY_REQUESTS, String.valueOf(e.getMessage()));
    } catch (UnsupportedOperationException e) {
      return text(HttpStatus.NOT_IMPLEMENTED, String.valueOf(e.getMessage()));
    } catch (StorageException | RejectedExecutionException e) {
      return text(HttpStatus.SERVICE_UNAVAILABLE, "store unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      logger.warn("internal read {} of tenant {} failed", call, tenant, e);
      return text(HttpStatus.INTERNAL_SERVER_ERROR, "read failed: " + e);
    }
  }

  /** Reads {@code call} into {@code w}; false for an unknown call. */
  private static boolean read(String call, Storage storage, WireReader r, WireWriter w) {
    MetricReader metrics = storage.metricReader();
    switch (call) {
      case "trace" -> {
        String traceId = r.readString();
        int limit = r.readVarInt();
        ReadWire.writeSpans(w, limit == 0 ? storage.traceReader().getTrace(traceId)
            : storage.traceReader().getTrace(traceId, limit));
      }
      case "search" -> ReadWire.writeSummaries(w,
          storage.spanSearch().search(ReadWire.readTraceQuery(r)));
      case "services" -> ReadWire.writeStrings(w, storage.spanSearch().services());
      case "span-names" -> ReadWire.writeStrings(w,
          storage.spanSearch().spanNames(r.readString()));
      case "logs" -> ReadWire.writeLogPage(w, storage.logReader().search(ReadWire.readLogQuery(r)));
      case "select" -> {
        List<LabelMatcher> m = ReadWire.readMatchers(r);
        ReadWire.writeSeries(w, metrics.select(m, r.readFixed64(), r.readFixed64()));
      }
      case "label-names" -> {
        List<LabelMatcher> m = ReadWire.readMatchers(r);
        ReadWire.writeStrings(w, metrics.labelNames(m, r.readFixed64(), r.readFixed64()));
      }
      case "label-values" -> {
        String name = r.readString();
        List<LabelMatcher> m = ReadWire.readMatchers(r);
        ReadWire.writeStrings(w, metrics.labelValues(name, m, r.readFixed64(), r.readFixed64()));
      }
      case "metadata" -> {
        String metric = r.readByte() == 0 ? null : r.readString();
        int limit = (int) r.readZigZag();
        ReadWire.writeMetadata(w, metrics.metadata(metric, limit, (int) r.readZigZag()));
      }
      // The pinned set: the alert role pins a page's evidence on every store, which copies what
      // it holds of the target; the query role lists, unpins and resolves on every store.
      case "pin" -> {
        PinRequest request = PinWire.readRequest(r);
        PinWire.writePin(w, storage.pins().pin(request, r.readFixed64()));
      }
      case "unpin" -> w.writeByte(storage.pins().unpin(r.readString()) ? 1 : 0);
      case "pins" -> PinWire.writePins(w, storage.pins().list());
      case "resolve" -> {
        String incident = r.readString();
        w.writeVarInt(storage.pins().resolve(incident, r.readFixed64()));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static HttpResponse text(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
  }
}
