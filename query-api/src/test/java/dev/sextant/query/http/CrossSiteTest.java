package dev.sextant.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import org.junit.jupiter.api.Test;

class CrossSiteTest {
  private static boolean crossSite(String... headers) {
    var b = RequestHeaders.builder(HttpMethod.POST, "/ui/alerts/silences")
        .authority("sextant.example:8686");
    for (int i = 0; i < headers.length; i += 2) {
      b.add(headers[i], headers[i + 1]);
    }
    return CrossSite.isCrossSite(b.build());
  }

  @Test
  void isCrossSite_trustsSecFetchSiteFirst() {
    assertThat(crossSite("sec-fetch-site", "cross-site")).isTrue();
    assertThat(crossSite("sec-fetch-site", "same-site")).isTrue();
    assertThat(crossSite("sec-fetch-site", "same-origin")).isFalse();
    assertThat(crossSite("sec-fetch-site", "none")).isFalse();
    // The browser's own header wins over an Origin that looks the same.
    assertThat(crossSite("sec-fetch-site", "cross-site", "origin", "http://sextant.example:8686"))
        .isTrue();
  }

  @Test
  void isCrossSite_fallsBackToOriginAgainstHost() {
    assertThat(crossSite("origin", "http://sextant.example:8686")).isFalse();
    assertThat(crossSite("origin", "https://SEXTANT.example:8686")).isFalse();
    assertThat(crossSite("origin", "https://evil.example")).isTrue();
    assertThat(crossSite("origin", "http://sextant.example:9999")).isTrue();
    assertThat(crossSite("origin", "null")).isTrue();
  }

  @Test
  void isCrossSite_noBrowserHeadersIsNotCrossSite() {
    assertThat(crossSite()).isFalse();
  }
}
