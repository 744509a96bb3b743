package dev.sextant.bench.load;

import java.util.SplittableRandom;

/**
 * The span shape of the OpenTelemetry collector testbed: every span carries {@code attributes}
 * string attributes whose keys and values are 20 characters long (10 by default, 50 with
 * {@code --fat}). Keys are fixed; each key's value is drawn from its own pool of
 * {@code valueCardinality} random strings, so storage sees realistic repetition without the
 * trivially compressible single value the testbed uses. Spans come in traces of
 * {@code spansPerTrace} (a root and its children) across a few services and operations.
 */
final class SpanShape {
  static final int KEY_VALUE_CHARS = 20;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  final int attributes;
  final int valueCardinality;
  final int services;
  final int operationsPerService;
  final String[] keys;
  final String[][] values;
  final String[] serviceNames;
  final String[] operationNames;

  SpanShape(int attributes, int valueCardinality, int services, int operationsPerService) {
    if (attributes <= 0) {
      throw new IllegalArgumentException("attributes: " + attributes + " (expected: > 0)");
    }
    if (valueCardinality <= 0) {
      throw new IllegalArgumentException(
          "valueCardinality: " + valueCardinality + " (expected: > 0)");
    }
    this.attributes = attributes;
    this.valueCardinality = valueCardinality;
    this.services = services;
    this.operationsPerService = operationsPerService;
    SplittableRandom random = new SplittableRandom(42);
    keys = new String[attributes];
    values = new String[attributes][valueCardinality];
    for (int a = 0; a < attributes; a++) {
      keys[a] = String.format("load.attribute.k%04d", a); // 20 characters
      for (int v = 0; v < valueCardinality; v++) {
        values[a][v] = randomString(random, KEY_VALUE_CHARS);
      }
    }
    serviceNames = new String[services];
    for (int s = 0; s < services; s++) {
      serviceNames[s] = "load-service-" + s;
    }
    operationNames = new String[services * operationsPerService];
    for (int o = 0; o < operationNames.length; o++) {
      operationNames[o] = "GET /api/v1/resource-" + o;
    }
  }

  static SpanShape testbed(boolean fat) {
    return new SpanShape(fat ? 50 : 10, 100, 5, 10);
  }

  static String randomString(SplittableRandom random, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }
}
