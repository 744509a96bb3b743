package dev.sextant.storage.internal.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/** Lists the distinct terms of a keyword field, optionally under a prefix that is cut off. */
public final class TermLister {
  private TermLister() {}

  /**
   * Sorted terms of {@code field} starting with {@code prefix}, prefix removed. Terms of deleted
   * documents may linger until their segment merges.
   */
  public static List<String> list(IndexSearcher searcher, String field, String prefix)
      throws IOException {
    List<String> out = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), field);
    if (terms == null) {
      return out;
    }
    BytesRef p = new BytesRef(prefix);
    TermsEnum it = terms.iterator();
    if (it.seekCeil(p) == TermsEnum.SeekStatus.END) {
      return out;
    }
    for (BytesRef t = it.term(); t != null && StringHelper.startsWith(t, p); t = it.next()) {
      out.add(t.utf8ToString().substring(prefix.length()));
    }
    return out;
  }
}
