package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.storage.metrics.SeriesLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tenantLimits:} section and the scrape limit keys, read from real YAML files. */
class TenantLimitsConfigTest {
  @TempDir
  Path dir;

  @Test
  void tenantLimits_defaultsOverridesAndInheritance() throws Exception {
    Path f = Files.writeString(dir.resolve("l.yml"), """
        tenantLimits:
          default: { maxGlobalSeriesPerUser: 50000, maxLabelValueLength: 1024 }
          tenants:
            big: { maxGlobalSeriesPerUser: 1000000, maxGlobalSeriesPerMetric: 20000 }
        """);
    var limits = ConfigMapper.tenantLimits(ConfigLoader.load(f, Map.of()).tenantLimits);
    assertThat(limits.forTenant("small"))
        .isEqualTo(new SeriesLimits("small", 50_000, 0, 1024, 1024, 30));
    // The override inherits what it does not set from the default section.
    assertThat(limits.forTenant("big"))
        .isEqualTo(new SeriesLimits("big", 1_000_000, 20_000, 1024, 1024, 30));
  }

  @Test
  void tenantLimits_absentSectionGivesMimirsDefaults() {
    var limits = ConfigMapper.tenantLimits(ConfigLoader.load(null, Map.of()).tenantLimits);
    assertThat(limits.forTenant("default")).isEqualTo(SeriesLimits.defaults("default"));
  }

  @Test
  void tenantLimits_negativeValueNamesKeyAndLine() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.yml"), """
        dataDir: d
        tenantLimits:
          tenants:
            t:
              maxLabelNameLength: -5
        """);
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(f + ": line 5: tenantLimits.tenants.t.maxLabelNameLength: -5 (expected: >= 0,"
            + " 0 = no limit)");
  }

  @Test
  void scrapeLimits_prometheusKeysAndUnits() throws Exception {
    Path f = Files.writeString(dir.resolve("s.yml"), """
        scrapeConfigs:
          - job_name: a
            targets: ["h:1"]
            body_size_limit: 10MB
            sample_limit: 5000
            label_limit: 40
            label_name_length_limit: 200
            label_value_length_limit: 1000
          - job_name: b
            targets: ["h:2"]
        """);
    List<ScrapeConfig> c = ConfigMapper.scrapeConfigs(
        ConfigLoader.load(f, Map.of()).scrapeConfigs);
    assertThat(c.get(0).bodySizeLimit()).isEqualTo(10L << 20);
    assertThat(c.get(0).sampleLimit()).isEqualTo(5000);
    assertThat(c.get(0).labelLimit()).isEqualTo(40);
    assertThat(c.get(0).labelNameLengthLimit()).isEqualTo(200);
    assertThat(c.get(0).labelValueLengthLimit()).isEqualTo(1000);
    assertThat(c.get(1).bodySizeLimit()).isEqualTo(64L << 20);
    assertThat(ConfigMapper.bytes("k", "1048576")).isEqualTo(1 << 20);
    assertThat(ConfigMapper.bytes("k", "512KiB")).isEqualTo(512 << 10);
    assertThatThrownBy(() -> ConfigMapper.bytes("scrapeConfigs[0].body_size_limit", "lots"))
        .hasMessage("scrapeConfigs[0].body_size_limit: 'lots' (expected: a size like 64MiB,"
            + " 10MB or 1048576)");
  }

  @Test
  void scrapeLimits_zeroBodyLimitIsRefused() throws Exception {
    Path f = Files.writeString(dir.resolve("z.yml"), """
        scrapeConfigs:
          - job_name: a
            targets: ["h:1"]
            body_size_limit: 0
        """);
    assertThatThrownBy(() -> ConfigMapper.scrapeConfigs(
        ConfigLoader.load(f, Map.of()).scrapeConfigs))
        .hasMessageStartingWith("scrapeConfigs[0].body_size_limit: 0 (expected: 1..1073741824");
  }
}
