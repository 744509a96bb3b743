package dev.sextant.storage.internal.index;

import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;

/**
 * Attributes as keyword fields {@code attr.<key>} holding the value's text, shared by the span and
 * log indexes so both match {@code key=value} the same way.
 */
public final class AttributeFields {
  /** Field name prefix of attribute keyword fields. */
  public static final String PREFIX = "attr.";
  // Longer values (stack traces, SQL) are not worth an exact-match term and could exceed Lucene's
  // 32 KiB term limit; they stay in the record, unsearchable by attribute.
  public static final int MAX_VALUE_CHARS = 1024;

  private AttributeFields() {}

  /** Adds one keyword field per searchable attribute: strings, numbers and booleans. */
  public static void add(Document doc, Map<String, Object> attributes) {
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      String text = text(e.getValue());
      if (text != null) {
        doc.add(new StringField(PREFIX + e.getKey(), text, Field.Store.NO));
      }
    }
  }

  /** The text a query value must equal, or null when the value is not searchable. */
  public static String text(Object value) {
    if (value instanceof String s) {
      return s.length() <= MAX_VALUE_CHARS ? s : null;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte || value instanceof Double || value instanceof Float
        || value instanceof Boolean) {
      return value.toString();
    }
    return null;
  }
}
