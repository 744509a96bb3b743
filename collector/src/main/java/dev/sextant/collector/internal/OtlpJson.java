package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * OTLP/JSON as the specification defines it: the protobuf JSON mapping, except that trace and
 * span IDs are hex strings instead of base64. Keys may be lowerCamelCase or the original
 * snake_case; int64 values may be strings or numbers; enums may be integers. Reading is one pass
 * ({@link OtlpJsonReader}); writing (responses, which carry no IDs) is protobuf's printer.
 */
public final class OtlpJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .omittingInsignificantWhitespace();

  private OtlpJson() {}

  /**
   * Parses an export request, leaving out the items (spans, log records, metrics) whose values do
   * not read, and saying how many and why.
   *
   * @param itemName what an item is called in the error message ("span", ...)
   * @throws InvalidProtocolBufferException when the body is not a JSON object or has a bad value
   *     outside the items; the message names the place
   */
  public static <R extends Message> LenientOtlpParser.Parsed<R> read(byte[] json,
      Message.Builder request, String itemName) throws InvalidProtocolBufferException {
    return OtlpJsonReader.read(json, request, itemName);
  }

  /**
   * Parses {@code json} into {@code builder}, all of it or nothing.
   *
   * @throws InvalidProtocolBufferException with a message naming the problem
   */
  public static void merge(byte[] json, Message.Builder builder)
      throws InvalidProtocolBufferException {
    LenientOtlpParser.Parsed<Message> p = OtlpJsonReader.read(json, builder, "item");
    if (p.rejected() > 0) {
      throw new InvalidProtocolBufferException(p.errorMessage());
    }
  }

  public static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
