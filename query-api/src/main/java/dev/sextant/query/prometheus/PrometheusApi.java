package dev.sextant.query.prometheus;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.http.RoutedService;
import dev.sextant.query.prometheus.ApiParams.BadDataException;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryException;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.query.promql.parser.ParseException;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Prometheus HTTP API ({@code /api/v1/...}) over a {@link MetricReader} and a
 * {@link PromqlEngine}, answering GET and form POST requests with Prometheus's JSON shapes and
 * error types (400 {@code bad_data}, 422 {@code execution}, 503 {@code timeout}). Queries run on
 * the request context's blocking executor.
 */
public final class PrometheusApi {
  static final int MAX_POINTS = 11_000;

  private final MetricReader reader;
  private final PromqlEngine engine;
  private final MetadataAndTargets metadataAndTargets;

  private PrometheusApi(MetricReader reader, PromqlEngine engine,
      Supplier<List<ActiveTarget>> targets) {
    this.reader = reader;
    this.engine = engine;
    this.metadataAndTargets = new MetadataAndTargets(reader, targets);
  }

  /** The API without scrape targets: {@code /api/v1/targets} lists none. */
  public static PrometheusApi of(MetricReader reader, PromqlEngine engine) {
    return of(reader, engine, List::of);
  }

  /**
   * The API with {@code targets} behind {@code /api/v1/targets}, called on every such request
   * (on a blocking thread, in the request's context).
   */
  public static PrometheusApi of(MetricReader reader, PromqlEngine engine,
      Supplier<List<ActiveTarget>> targets) {
    return new PrometheusApi(requireNonNull(reader, "reader"), requireNonNull(engine, "engine"),
        requireNonNull(targets, "targets"));
  }

  /**
   * Every {@code /api/v1/...} route of this API as one service, to mount with
   * {@code serverBuilder.service(...)} or to add to a module's routes.
   */
  public RoutedService service() {
    return RoutedService.builder()
        .service("/api/v1/query", service(this::query))
        .service("/api/v1/query_range", service(this::queryRange))
        .service("/api/v1/series", service(this::series))
        .service("/api/v1/labels", service(this::labels))
        .service("/api/v1/label/{name}/values", service(this::labelValues))
        .service("/api/v1/query_exemplars", service(p -> ApiJson.success(
            ApiJson.stringList(List.of()), null, null)))
        .service("/api/v1/metadata", service(metadataAndTargets::metadata))
        .service("/api/v1/targets", service(metadataAndTargets::targets))
        .service("/api/v1/status/buildinfo", service(p -> ApiJson.success(g -> {
          g.writeStartObject();
          g.writeStringField("version", "3.0.0-sextant");
          g.writeStringField("revision", "");
          g.writeStringField("branch", "");
          g.writeStringField("buildUser", "");
          g.writeStringField("buildDate", "");
          g.writeStringField("goVersion", "");
          g.writeEndObject();
        }, null, null)))
        .build();
  }

  /** Request parameters: the form body (POST) overrides the query string, like Go's FormValue. */
  record Params(QueryParams query, QueryParams form, ServiceRequestContext ctx) {
    String get(String name) {
      String v = form.get(name);
      return v != null ? v : query.get(name);
    }

    List<String> getAll(String name) {
      List<String> v = new ArrayList<>(form.getAll(name));
      v.addAll(query.getAll(name));
      return v;
    }
  }

  private static HttpService service(Function<Params, byte[]> handler) {
    return (ctx, req) -> {
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.POST) {
        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.JSON_UTF_8,
            ApiJson.error("bad_data", "method " + req.method() + " not allowed"));
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(
          agg -> handle(ctx, req, agg, handler), ctx.blockingTaskExecutor()));
    };
  }

  private static HttpResponse handle(ServiceRequestContext ctx, HttpRequest req,
      AggregatedHttpRequest agg, Function<Params, byte[]> handler) {
    QueryParams query = ctx.query() == null ? QueryParams.of()
        : QueryParams.fromQueryString(ctx.query());
    QueryParams form = QueryParams.of();
    MediaType type = agg.contentType();
    if (req.method() == HttpMethod.POST && type != null
        && type.is(MediaType.FORM_DATA)) {
      form = QueryParams.fromQueryString(agg.contentUtf8());
    }
    // A cancelled request (client gone, request timeout) interrupts the query, which the engine
    // turns into a "canceled" error; the flag keeps a late interrupt off the pooled thread.
    Thread worker = Thread.currentThread();
    Object lock = new Object();
    boolean[] done = {false};
    ctx.whenRequestCancelling().thenRun(() -> {
      synchronized (lock) {
        if (!done[0]) {
          worker.interrupt();
        }
      }
    });
    try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
      // ApiJson.success adds what storage reports here to the response's warnings.
      byte[] body = handler.apply(new Params(query, form, ctx));
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
    } catch (BadDataException e) {
      return error(HttpStatus.BAD_REQUEST, "bad_data", e.getMessage());
    } catch (QueryException e) {
      return switch (e.kind()) {
        case BAD_DATA -> error(HttpStatus.BAD_REQUEST, "bad_data", e.getMessage());
        case EXECUTION -> error(HttpStatus.UNPROCESSABLE_ENTITY, "execution", e.getMessage());
        case TIMEOUT -> error(HttpStatus.SERVICE_UNAVAILABLE, "timeout", e.getMessage());
        case CANCELED -> error(HttpStatus.valueOf(499), "canceled", e.getMessage());
      };
    } catch (RuntimeException e) {
      return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal", String.valueOf(e.getMessage()));
    } finally {
      synchronized (lock) {
        done[0] = true;
        Thread.interrupted();
      }
    }
  }

  private static HttpResponse error(HttpStatus status, String type, String message) {
    return HttpResponse.of(status, MediaType.JSON, ApiJson.error(type, message));
  }

  private static String required(Params p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw new BadDataException("invalid parameter \"" + name + "\": cannot parse \"\" to a "
          + (name.equals("query") ? "valid query" : name.equals("step")
          ? "valid duration" : "valid timestamp"));
    }
    return v;
  }

  private static QueryException queryError(QueryException e) {
    if (e.kind() == QueryException.Kind.BAD_DATA && (e.getCause() instanceof ParseException
        || e.getCause() instanceof InvalidRegexException)) {
      return new QueryException(QueryException.Kind.BAD_DATA,
          "invalid parameter \"query\": " + e.getMessage(), e);
    }
    return e;
  }

  private byte[] query(Params p) {
    String q = required(p, "query");
    String t = p.get("time");
    long time = t == null || t.isEmpty() ? System.currentTimeMillis() : ApiParams.timeParam("time", t);
    QueryResult r;
    try {
      r = engine.instantQuery(q, time);
    } catch (QueryException e) {
      throw queryError(e);
    }
    return ApiJson.success(ApiJson.result(r), r.warnings(), r.infos());
  }

  private byte[] queryRange(Params p) {
    long start = ApiParams.time("start", required(p, "start"));
    long end = ApiParams.time("end", required(p, "end"));
    if (end < start) {
      throw new BadDataException("end timestamp must not be before start time");
    }
    long step = ApiParams.duration("step", required(p, "step"));
    if (step <= 0) {
      throw new BadDataException("invalid parameter \"step\": zero or negative query resolution "
          + "step widths are not accepted. Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw new BadDataException("exceeded maximum resolution of 11,000 points per timeseries. "
          + "Try decreasing the query resolution (?step=XX)");
    }
    String q = required(p, "query");
    QueryResult r;
    try {
      r = engine.rangeQuery(q, start, end, step);
    } catch (QueryException e) {
      throw queryError(e);
    }
    return ApiJson.success(ApiJson.result(r), r.warnings(), r.infos());
  }

  private static long[] bounds(Params p) {
    String s = p.get("start");
    String e = p.get("end");
    long start = s == null || s.isEmpty() ? ApiParams.MIN_TIME : ApiParams.timeParam("start", s);
    long end = e == null || e.isEmpty() ? ApiParams.MAX_TIME : ApiParams.timeParam("end", e);
    if (end < start) {
      throw new BadDataException("end timestamp must not be before start time");
    }
    return new long[] {start, end};
  }

  private static List<List<LabelMatcher>> matchers(Params p) {
    List<List<LabelMatcher>> out = new ArrayList<>();
    for (String m : p.getAll("match[]")) {
      try {
        out.add(Parser.parseMetricSelector(m));
      } catch (ParseException e) {
        throw new BadDataException("invalid parameter \"match[]\": " + e.getMessage());
      }
    }
    return out;
  }

  private byte[] series(Params p) {
    List<List<LabelMatcher>> sets = matchers(p);
    if (sets.isEmpty()) {
      throw new BadDataException("no match[] parameter provided");
    }
    long[] b = bounds(p);
    Set<Labels> out = new TreeSet<>();
    for (List<LabelMatcher> m : sets) {
      for (Series s : reader.select(m, b[0], b[1])) {
        out.add(s.labels());
      }
    }
    int limit = limit(p);
    List<Labels> list = new ArrayList<>(out);
    List<String> warnings = null;
    if (limit > 0 && list.size() > limit) {
      list = list.subList(0, limit);
      warnings = List.of("results truncated due to limit");
    }
    return ApiJson.success(ApiJson.labelSets(list), warnings, null);
  }

  /** The optional {@code limit} parameter; 0 means no limit. */
  private static int limit(Params p) {
    String l = p.get("limit");
    if (l == null || l.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(l);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadDataException("invalid parameter \"limit\": cannot parse \"" + l
          + "\": limit must be a non-negative integer");
    }
  }

  private static byte[] limited(Set<String> values, Params p) {
    int limit = limit(p);
    List<String> list = new ArrayList<>(values);
    List<String> warnings = null;
    if (limit > 0 && list.size() > limit) {
      list = list.subList(0, limit);
      warnings = List.of("results truncated due to limit");
    }
    return ApiJson.success(ApiJson.stringList(list), warnings, null);
  }

  private byte[] labels(Params p) {
    List<List<LabelMatcher>> sets = matchers(p);
    long[] b = bounds(p);
    Set<String> out = new TreeSet<>();
    if (sets.isEmpty()) {
      out.addAll(reader.labelNames(List.of(), b[0], b[1]));
    }
    for (List<LabelMatcher> m : sets) {
      out.addAll(reader.labelNames(m, b[0], b[1]));
    }
    return limited(out, p);
  }

  private byte[] labelValues(Params p) {
    String name = p.ctx().pathParam("name");
    if (name == null || name.isEmpty()) {
      throw new BadDataException("invalid label name: \"" + name + "\"");
    }
    List<List<LabelMatcher>> sets = matchers(p);
    long[] b = bounds(p);
    Set<String> out = new TreeSet<>();
    if (sets.isEmpty()) {
      out.addAll(reader.labelValues(name, List.of(), b[0], b[1]));
    }
    for (List<LabelMatcher> m : sets) {
      out.addAll(reader.labelValues(name, m, b[0], b[1]));
    }
    return limited(out, p);
  }
}
