package dev.sextant.server.internal;

import dev.sextant.collector.Collector;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.collector.scrape.TargetHealth;
import dev.sextant.query.Durations;
import dev.sextant.query.prometheus.ActiveTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The collector's scrape targets as the Prometheus API's {@code activeTargets}. The server's
 * own scraping writes into the default tenant's store, so only that tenant sees them.
 */
public final class ScrapeTargets {
  private ScrapeTargets() {}

  /** {@code collector}'s targets for a request of {@code tenant}; none for other tenants. */
  public static List<ActiveTarget> of(Collector collector, String tenant, String defaultTenant) {
    if (!tenant.equals(defaultTenant)) {
      return List.of();
    }
    List<ActiveTarget> out = new ArrayList<>();
    for (TargetHealth t : collector.targets()) {
      ScrapeConfig c = t.config();
      Map<String, String> discovered = Map.of("__address__", t.target(),
          "__metrics_path__", c.metricsPath(), "__scheme__", c.scheme(),
          "__scrape_interval__", Durations.format(c.scrapeInterval()),
          "__scrape_timeout__", Durations.format(c.scrapeTimeout()), "job", c.jobName());
      out.add(new ActiveTarget(discovered, Map.of("job", c.jobName(), "instance", t.target()),
          c.jobName(), t.scrapeUrl(), t.scrapeUrl(), t.lastError(), t.lastScrape(),
          t.lastScrapeDurationSeconds(), t.health().key(), c.scrapeInterval(),
          c.scrapeTimeout()));
    }
    return out;
  }
}
