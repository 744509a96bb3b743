package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.root;
import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link dev.sextant.storage.SpanSearch#services} and {@code spanNames}: the search menus. */
public interface SpanNamesContract extends StorageKit {

  @Test
  default void services_ofAnEmptyStoreAreNone() {
    assertThat(storage().spanSearch().services()).isEmpty();
  }

  @Test
  default void services_areEveryServiceSeenDistinctAndSorted() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).build(),
        span(t, spanId(), r, "db", "query", 1, 1).build(),
        root("auth", "login", 0, 1), root("web", "other", 0, 1));

    assertThat(storage().spanSearch().services()).containsExactly("auth", "db", "web");
  }

  @Test
  default void spanNames_areTheServicesNamesDistinctAndSorted() {
    write(root("web", "POST /pay", 0, 1), root("web", "GET /", 0, 1),
        root("web", "GET /", 1, 1), root("db", "query", 0, 1));

    assertThat(storage().spanSearch().spanNames("web")).containsExactly("GET /", "POST /pay");
    assertThat(storage().spanSearch().spanNames("db")).containsExactly("query");
  }

  @Test
  default void spanNames_ofAnUnknownServiceAreNone() {
    write(root("web", "GET /", 0, 1));

    assertThat(storage().spanSearch().spanNames("nobody")).isEmpty();
    assertThat(storage().spanSearch().spanNames("")).isEmpty();
  }

  @Test
  default void spanNames_serviceNameIsExact() {
    write(root("web", "GET /", 0, 1), root("web-admin", "POST /users", 0, 1));

    assertThat(storage().spanSearch().spanNames("web")).containsExactly("GET /");
    assertThat(storage().spanSearch().spanNames("WEB")).isEmpty();
  }
}
