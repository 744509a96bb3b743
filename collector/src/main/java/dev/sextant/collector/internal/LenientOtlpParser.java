package dev.sextant.collector.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses an OTLP export request so that one bad item (a span, log record or metric with invalid
 * UTF-8, say) rejects only that item, not the whole request. The fast path is the ordinary strict
 * parse; only when it fails is the request walked as raw wire format — request → resource groups
 * (field 1) → scope groups (field 2) → items (field 2), as all three OTLP signals nest — and
 * re-encoded without the items that don't parse on their own.
 */
public final class LenientOtlpParser<Req extends Message> {
  /**
   * The parsed request and what was dropped on the way. {@code decoded}, when not null, is the
   * handler's own form of the request, decoded straight from the wire (see
   * {@link SignalHandler#parse}); {@code request} is then an empty placeholder.
   */
  public record Parsed<R>(R request, long rejected, String errorMessage,
      @Nullable Object decoded) {
    public Parsed(R request, long rejected, String errorMessage) {
      this(request, rejected, errorMessage, null);
    }
  }

  private final Parser<Req> requestParser;
  private final Parser<? extends Message> itemParser;
  private final String itemName;

  public LenientOtlpParser(Parser<Req> requestParser, Parser<? extends Message> itemParser,
      String itemName) {
    this.requestParser = requestParser;
    this.itemParser = itemParser;
    this.itemName = itemName;
  }

  /** What an item is called in error messages ("span", "log record", "metric"). */
  public String itemName() {
    return itemName;
  }

  /**
   * @throws InvalidProtocolBufferException when the bytes are not protobuf wire format at all
   */
  public Parsed<Req> parse(byte[] body) throws InvalidProtocolBufferException {
    try {
      return new Parsed<>(requestParser.parseFrom(body), 0, null);
    } catch (InvalidProtocolBufferException strict) {
      return salvage(body, strict);
    }
  }

  private Parsed<Req> salvage(byte[] body, InvalidProtocolBufferException strict)
      throws InvalidProtocolBufferException {
    UnknownFieldSet top;
    try {
      top = UnknownFieldSet.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw strict;
    }
    Counter c = new Counter();
    UnknownFieldSet.Builder out = UnknownFieldSet.newBuilder(top).clearField(1);
    UnknownFieldSet.Field.Builder groups = UnknownFieldSet.Field.newBuilder();
    for (ByteString groupBytes : field(top, 1)) {
      UnknownFieldSet group = UnknownFieldSet.parseFrom(groupBytes);
      if (!parses(Resource.parser(), field(group, 1))) {
        c.reject(countItems(group), itemName + ": resource attributes are not valid (e.g. UTF-8)");
        continue;
      }
      UnknownFieldSet.Builder g = UnknownFieldSet.newBuilder(group).clearField(2);
      UnknownFieldSet.Field.Builder scopes = UnknownFieldSet.Field.newBuilder();
      for (ByteString scopeBytes : field(group, 2)) {
        UnknownFieldSet scope = UnknownFieldSet.parseFrom(scopeBytes);
        if (!parses(InstrumentationScope.parser(), field(scope, 1))) {
          c.reject(field(scope, 2).size(), itemName + ": instrumentation scope is not valid");
          continue;
        }
        UnknownFieldSet.Field.Builder items = UnknownFieldSet.Field.newBuilder();
        for (ByteString item : field(scope, 2)) {
          try {
            itemParser.parseFrom(item);
            items.addLengthDelimited(item);
          } catch (InvalidProtocolBufferException e) {
            c.reject(1, itemName + ": " + e.getMessage());
          }
        }
        scopes.addLengthDelimited(UnknownFieldSet.newBuilder(scope).clearField(2)
            .addField(2, items.build()).build().toByteString());
      }
      groups.addLengthDelimited(g.addField(2, scopes.build()).build().toByteString());
    }
    Req rebuilt = requestParser.parseFrom(out.addField(1, groups.build()).build().toByteString());
    return new Parsed<>(rebuilt, c.count, c.first);
  }

  private static List<ByteString> field(UnknownFieldSet set, int number) {
    return set.hasField(number) ? set.getField(number).getLengthDelimitedList() : List.of();
  }

  private static boolean parses(Parser<? extends Message> parser, List<ByteString> values) {
    for (ByteString v : values) {
      try {
        parser.parseFrom(v);
      } catch (InvalidProtocolBufferException e) {
        return false;
      }
    }
    return true;
  }

  private static long countItems(UnknownFieldSet group) throws InvalidProtocolBufferException {
    long n = 0;
    for (ByteString scope : field(group, 2)) {
      n += field(UnknownFieldSet.parseFrom(scope), 2).size();
    }
    return n;
  }

  private static final class Counter {
    long count;
    String first;

    void reject(long n, String reason) {
      count += n;
      if (first == null) {
        first = reason;
      }
    }
  }
}
