package dev.sextant.server.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's settings; every timing can be shortened so a test runs the whole story in minutes.
 * A {@code null} alert override keeps the value written in {@code samples/rules/shop-alerts.yml}.
 */
public final class DemoOptions {
  /** The source tree: holds samples/, agent/target/ and server/target/ (default: found). */
  public Path home;
  /** First of the shop's ports (gateway, users, orders, inventory, payments, then their metrics
   * ports); 0: each service binds free ports itself and reports them. */
  public int shopBasePort = 9100;
  public double loadRate = 5;
  public String loadMix = "create-order=60,get-order=20,get-user=20";
  /** When the payment fault is injected, counted from the moment the shop serves. */
  public Duration faultAfter = Duration.ofMinutes(2);
  /** How long the fault stays after its first page arrived. */
  public Duration faultHold = Duration.ofMinutes(1);
  /** The fault is removed after this long even when no page came. */
  public Duration faultMax = Duration.ofMinutes(5);
  /** Share of the charges through provider acme that fail while the fault is on; 0: no fault. */
  public double faultErrorRate = 0.8;
  public Duration breakerOpen = Duration.ofSeconds(30);
  public Duration scrapeInterval = Duration.ofSeconds(5);
  public Duration spanMetricsInterval = Duration.ofSeconds(5);
  public Duration groupWait = Duration.ofSeconds(5);
  public Duration groupInterval = Duration.ofSeconds(15);
  /** Rewrites every rule group's {@code interval}. */
  public Duration evaluationInterval;
  /** Rewrites every alert's {@code for}. */
  public Duration alertFor;
  /** Rewrites the rules' {@code [1m]} range windows. */
  public Duration alertWindow;
  /** Stop on its own after this long (tests); null runs until Ctrl-C. */
  public Duration runFor;
  /** How long each shop JVM may take to start serving (the agent makes start-up CPU-heavy). */
  public Duration startTimeout = Duration.ofMinutes(5);
  /** Max heap of each shop JVM, e.g. {@code 128m}. */
  public String serviceHeap = "128m";
}
