package dev.sextant.server;

/** The running version, from the jar manifest (or "dev" when run from classes). */
final class Version {
  private Version() {}

  static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
