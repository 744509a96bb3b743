package dev.sextant.query.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonBytes} writes what Jackson's default generator writes, byte for byte. */
class JsonBytesTest {
  private static final JsonFactory FACTORY = new JsonFactory();

  private interface JacksonWrite {
    void write(JsonGenerator g) throws IOException;
  }

  private interface BytesWrite {
    void write(JsonBytes g) throws IOException;
  }

  private static void assertSame(JacksonWrite jackson, BytesWrite bytes) throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(expected)) {
      jackson.write(g);
    }
    // A buffer of the smallest size too, so that every flush boundary is crossed.
    for (int size : new int[] {64, 100, 16 * 1024}) {
      ByteArrayOutputStream actual = new ByteArrayOutputStream();
      try (JsonBytes g = new JsonBytes(actual, size)) {
        bytes.write(g);
      }
      assertThat(actual.toByteArray()).as("buffer " + size).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void string_everyCharacter_asJackson() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c <= 0xffff; c++) {
      all.append((char) c);
    }
    String s = all.toString();
    assertSame(g -> {
      g.writeStartArray();
      g.writeString(s);
      for (int c = 0; c < 0x900; c++) {
        g.writeString(String.valueOf((char) c));
      }
      g.writeEndArray();
    }, g -> {
      g.startArray();
      g.string(s);
      for (int c = 0; c < 0x900; c++) {
        g.string(String.valueOf((char) c));
      }
      g.endArray();
    });
  }

  @Test
  void string_surrogatesPairedAndLone_asJackson() throws IOException {
    String s = "a\uD83D\uDE00b\uD800c\uDFFFd\uDBFF\uDFFF\uDC00\uD800";
    assertSame(g -> {
      g.writeStartObject();
      g.writeFieldName(s);
      g.writeString(s);
      g.writeEndObject();
    }, g -> {
      g.startObject();
      g.name(s);
      g.string(s);
      g.endObject();
    });
  }

  @Test
  void encodedName_asJacksonSerializedString() throws IOException {
    String[] names = {"plain", "a\uD83D\uDE00b", "\uDBFF\uDFFF",
        "tab\t\"q\" \u00e9 \u20ac \u0001"};
    assertSame(g -> {
      g.writeStartObject();
      for (String n : names) {
        g.writeFieldName(new SerializedString(n));
        g.writeNumber(1);
      }
      g.writeEndObject();
    }, g -> {
      g.startObject();
      for (String n : names) {
        g.encodedName(n);
        g.number(1);
      }
      g.endObject();
    });
  }

  @Test
  void string_randomLongerThanTheBuffer_asJackson() throws IOException {
    Random rnd = new Random(7);
    char[] pool = {'a', 'z', ' ', '"', '\\', '\n', '\u0007', '\u00e9', '\u20ac', '\uD83D',
        '\uDE00', '\u007f', '/'};
    for (int round = 0; round < 20; round++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(50_000);
      for (int i = 0; i < n; i++) {
        sb.append(rnd.nextInt(3) == 0 ? pool[rnd.nextInt(pool.length)] : 'x');
      }
      String s = sb.toString();
      assertSame(g -> {
        g.writeStartArray();
        g.writeString(s);
        g.writeString("after");
        g.writeEndArray();
      }, g -> {
        g.startArray();
        g.string(s);
        g.string("after");
        g.endArray();
      });
    }
  }

  @Test
  void numbersAndLiterals_asJackson() throws IOException {
    long[] longs = {0, 1, -1, 9, 10, -10, 99, 100, 1_700_000_000_123_456_789L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
    double[] doubles = {0.0, -0.0, 1.0, 0.1, 1e-7, 1e21, 123456.789, Double.MAX_VALUE,
        Double.MIN_VALUE, -3.5};
    assertSame(g -> {
      g.writeStartObject();
      for (long v : longs) {
        g.writeFieldName("n");
        g.writeNumber(v);
        g.writeFieldName("s");
        g.writeString(Long.toString(v));
      }
      g.writeArrayFieldStart("d");
      for (double d : doubles) {
        g.writeNumber(d);
      }
      g.writeBoolean(true);
      g.writeBoolean(false);
      g.writeNull();
      g.writeStartObject();
      g.writeEndObject();
      g.writeStartArray();
      g.writeEndArray();
      g.writeEndArray();
      g.writeEndObject();
    }, g -> {
      g.startObject();
      for (long v : longs) {
        g.name(JsonBytes.fieldName("n"));
        g.number(v);
        g.name("s");
        g.quotedNumber(v);
      }
      g.name("d");
      g.startArray();
      for (double d : doubles) {
        g.number(d);
      }
      g.bool(true);
      g.bool(false);
      g.nullValue();
      g.startObject();
      g.endObject();
      g.startArray();
      g.endArray();
      g.endArray();
      g.endObject();
    });
  }
}
