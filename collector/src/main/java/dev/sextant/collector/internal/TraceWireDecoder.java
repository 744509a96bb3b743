package dev.sextant.collector.internal;

import static dev.sextant.collector.internal.WireReads.BAIL;
import static dev.sextant.collector.internal.WireReads.LEN;
import static dev.sextant.collector.internal.WireReads.VARINT;
import static dev.sextant.collector.internal.WireReads.end;
import static dev.sextant.collector.internal.WireReads.expect;
import static dev.sextant.collector.internal.WireReads.skip;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the bytes of an OTLP {@code ExportTraceServiceRequest} straight into the store's
 * {@link Span}s with a {@link CodedInputStream}: no generated message classes, so one object
 * graph per span instead of two.
 *
 * <p>The contract is equivalence: {@link #decode} returns exactly what a strict parse followed by
 * {@link TraceConverter#convert} returns (same spans, attributes, validation, rejections and
 * messages), or {@code null} when the request must take that path instead. It returns null for
 * anything the strict parse would refuse (malformed wire format, invalid UTF-8: the lenient
 * parser's per-item salvage then decides what is kept), for anything cut to the limits (the
 * converter's warning depends on the order of its cuts) and for rare shapes whose protobuf
 * semantics are not worth copying (a singular message field sent twice, which protobuf merges;
 * a resource or scope after its items; groups; interned strings; deep nesting). Well-formed
 * requests within the limits, what exporters send, never return null.
 *
 * <p>This class walks the request's structure (resources, scopes); {@link WireSpanReader} reads
 * each span and {@link WireAttributes} their attributes.
 */
public final class TraceWireDecoder {
  private final IngestLimits limits;

  public TraceWireDecoder(IngestLimits limits) {
    this.limits = limits;
  }

  /** The converted request, or null when it must go through the generated classes. */
  public @Nullable TraceConversion decode(byte[] body) {
    try {
      return new Run(limits, body).request(CodedInputStream.newInstance(body));
    } catch (IOException | WireReads.Bail e) {
      // Over a byte array, every IOException is an InvalidProtocolBufferException.
      return null;
    }
  }

  /** The state of decoding one request. */
  private static final class Run {
    private final IngestLimits limits;
    private final WireAttributes attributes;
    private final WireSpanReader spans;
    private final List<Span> out = new ArrayList<>();
    private long rejected;
    private @Nullable String firstError;
    // Out-parameters of scope() and the resource's service.name, read right after each call.
    private String scopeName = "";
    private String scopeVersion = "";
    private @Nullable String rawService;

    Run(IngestLimits limits, byte[] body) {
      this.limits = limits;
      this.attributes = new WireAttributes(limits, body);
      this.spans = new WireSpanReader(limits, attributes);
    }

    TraceConversion request(CodedInputStream in) throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          resourceSpans(in);
          end(in, old);
        } else {
          skip(in, tag);
        }
      }
      return new TraceConversion(out, rejected, firstError, null);
    }

    private void resourceSpans(CodedInputStream in) throws IOException {
      boolean seenResource = false;
      String service = null;
      Map<String, Object> resource = Collections.emptyMap();
      rawService = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            if (seenResource || service != null) {
              throw BAIL; // merged by protobuf, or needed before the spans
            }
            seenResource = true;
            int old = in.pushLimit(in.readRawVarint32());
            resource = resource(in);
            end(in, old);
          }
          case 2 -> {
            expect(tag, LEN);
            if (service == null) {
              service = service();
            }
            int old = in.pushLimit(in.readRawVarint32());
            scopeSpans(in, service, resource);
            end(in, old);
          }
          case 3 -> {
            expect(tag, LEN);
            in.readStringRequireUtf8(); // schema_url: unused, but must be UTF-8
          }
          default -> skip(in, tag);
        }
      }
      if (service == null) {
        service(); // the converter cuts it even without spans
      }
    }

    private String service() {
      String s = rawService;
      if (s == null || s.isEmpty()) {
        s = "unknown_service";
      }
      if (s.length() > limits.maxNameLength()) {
        throw BAIL;
      }
      return s;
    }

    private Map<String, Object> resource(CodedInputStream in) throws IOException {
      WireAttributes.Attrs attrs = new WireAttributes.Attrs();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            attributes.read(in, attrs);
            String value = attributes.lastString();
            if (rawService == null && value != null && attributes.lastKey().equals("service.name")) {
              rawService = value;
            }
          }
          case 2 -> {
            expect(tag, VARINT);
            in.readUInt32();
          }
          case 3 -> throw BAIL; // entity_refs: rare, left to the generated classes
          default -> skip(in, tag);
        }
      }
      return attrs.map();
    }

    private void scopeSpans(CodedInputStream in, String service, Map<String, Object> resource)
        throws IOException {
      boolean seenScope = false;
      boolean seenSpans = false;
      scopeName = "";
      scopeVersion = "";
      String name = "";
      String version = "";
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            if (seenScope || seenSpans) {
              throw BAIL;
            }
            seenScope = true;
            int old = in.pushLimit(in.readRawVarint32());
            scope(in);
            end(in, old);
          }
          case 2 -> {
            expect(tag, LEN);
            if (!seenSpans) {
              seenSpans = true;
              name = WireSpanReader.checkName(scopeName, limits);
              version = WireSpanReader.checkName(scopeVersion, limits);
            }
            int old = in.pushLimit(in.readRawVarint32());
            Span span = spans.read(in, service, resource, name, version);
            if (span != null) {
              out.add(span);
            } else {
              rejected++;
              if (firstError == null) {
                firstError = spans.lastError();
              }
            }
            end(in, old);
          }
          case 3 -> {
            expect(tag, LEN);
            in.readStringRequireUtf8();
          }
          default -> skip(in, tag);
        }
      }
      WireSpanReader.checkName(scopeName, limits);
      WireSpanReader.checkName(scopeVersion, limits);
    }

    private void scope(CodedInputStream in) throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            scopeName = in.readStringRequireUtf8();
          }
          case 2 -> {
            expect(tag, LEN);
            scopeVersion = in.readStringRequireUtf8();
          }
          case 3 -> {
            // Scope attributes are not stored, but must parse.
            expect(tag, LEN);
            attributes.read(in, null);
          }
          case 4 -> {
            expect(tag, VARINT);
            in.readUInt32();
          }
          default -> skip(in, tag);
        }
      }
    }
  }
}
