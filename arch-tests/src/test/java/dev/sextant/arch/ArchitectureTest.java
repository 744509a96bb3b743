package dev.sextant.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the code, checked on every build (docs/architecture.md draws it): packages form no
 * cycles, and a module uses only the modules below it. Every module's main classes are imported,
 * never tests (tests may reach across, e.g. the server's UI test reuses web-ui's test helpers).
 */
@AnalyzeClasses(packages = "dev.sextant", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String STORAGE = "dev.sextant.storage..";
  private static final String COLLECTOR = "dev.sextant.collector..";
  private static final String CLUSTER = "dev.sextant.cluster..";
  private static final String QUERY = "dev.sextant.query..";
  private static final String ALERT = "dev.sextant.alert..";
  private static final String UI = "dev.sextant.ui..";
  private static final String SERVER = "dev.sextant.server..";
  private static final String AGENT = "dev.sextant.agent..";
  private static final String SAMPLES = "dev.sextant.samples..";
  private static final String BENCH = "dev.sextant.bench..";

  /**
   * Each package is one slice: a cycle between two packages, in one module or across modules,
   * fails the build. A cycle means neither package can be read, tested or moved without the other.
   * There are no exceptions: a public face that builds its implementation lives above it (e.g.
   * {@code storage.embedded} over {@code storage.internal.*}), and the values both use live below
   * both (e.g. {@code collector.limits}).
   */
  @ArchTest
  static final ArchRule packages_freeOfCycles =
      slices().matching("dev.sextant.(**)").should().beFreeOfCycles();

  /**
   * server → web-ui → alert-engine → query-api → storage; server → collector → storage;
   * server → cluster → storage (cluster mode on Kafka, not wired yet); cluster → alert-engine
   * (the alert role's leader election and state replication run alert engines). A module
   * may use any module below it, never one above or beside it; bench measures storage, collector
   * and query-api.
   */
  @ArchTest
  static final ArchRule modules_dependOnlyDownwards = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .layer("server").definedBy(SERVER)
      .layer("web-ui").definedBy(UI)
      .layer("alert-engine").definedBy(ALERT)
      .layer("query-api").definedBy(QUERY)
      .layer("collector").definedBy(COLLECTOR)
      .layer("cluster").definedBy(CLUSTER)
      .layer("storage").definedBy(STORAGE)
      .layer("bench").definedBy(BENCH)
      .whereLayer("server").mayNotBeAccessedByAnyLayer()
      .whereLayer("web-ui").mayOnlyBeAccessedByLayers("server")
      .whereLayer("alert-engine").mayOnlyBeAccessedByLayers("web-ui", "cluster", "server")
      .whereLayer("query-api")
      .mayOnlyBeAccessedByLayers("alert-engine", "web-ui", "server", "bench")
      .whereLayer("collector").mayOnlyBeAccessedByLayers("server", "bench")
      .whereLayer("cluster").mayOnlyBeAccessedByLayers("server", "bench")
      .whereLayer("storage").mayOnlyBeAccessedByLayers(
          "collector", "cluster", "query-api", "alert-engine", "web-ui", "server", "bench")
      .whereLayer("bench").mayNotBeAccessedByAnyLayer();

  /** The agent runs inside the user's application: it must not drag any Sextant module in. */
  @ArchTest
  static final ArchRule agent_dependsOnNoOtherModule = noClasses().that().resideInAPackage(AGENT)
      .should().dependOnClassesThat().resideInAnyPackage(
          STORAGE, COLLECTOR, CLUSTER, QUERY, ALERT, UI, SERVER, SAMPLES, BENCH);

  /** The sample shop is an ordinary application watched through OTLP, not a part of Sextant. */
  @ArchTest
  static final ArchRule samples_dependOnNoOtherModule = noClasses().that()
      .resideInAPackage(SAMPLES)
      .should().dependOnClassesThat().resideInAnyPackage(
          STORAGE, COLLECTOR, CLUSTER, QUERY, ALERT, UI, SERVER, AGENT, BENCH);
}
