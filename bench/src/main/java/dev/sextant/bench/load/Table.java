package dev.sextant.bench.load;

import java.util.ArrayList;
import java.util.List;

/** The comparison table: one row per figure, Sextant beside its peer and their ratio. */
final class Table {
  private record Row(String figure, String sextant, String peer, String ratio, String target) {}

  private final List<Row> rows = new ArrayList<>();

  void section(String title) {
    rows.add(new Row("## " + title, "", "", "", ""));
  }

  /** A row of two numbers; the ratio is sextant ÷ peer. */
  void add(String figure, double sextant, double peer, String format, String target) {
    String ratio = Double.isFinite(sextant) && Double.isFinite(peer) && peer != 0
        ? String.format("%.2f×", sextant / peer) : "–";
    rows.add(new Row(figure, fmt(format, sextant), fmt(format, peer), ratio, target));
  }

  /** A row where one side has no such figure (e.g. Zipkin keeps nothing on disk). */
  void addText(String figure, String sextant, String peer, String target) {
    rows.add(new Row(figure, sextant, peer, "–", target));
  }

  private static String fmt(String format, double v) {
    return Double.isFinite(v) ? String.format(format, v) : "n/a";
  }

  /** Markdown table, so it pastes into docs/benchmarks.md as is. */
  String render(String peerTitle) {
    return render("Sextant", peerTitle, "Sextant ÷ peer", "target");
  }

  /** As {@link #render(String)} with every column title given (the ratio is first ÷ second). */
  String render(String firstTitle, String secondTitle, String ratioTitle, String lastTitle) {
    StringBuilder sb = new StringBuilder();
    sb.append("| figure | ").append(firstTitle).append(" | ").append(secondTitle).append(" | ")
        .append(ratioTitle).append(" | ").append(lastTitle).append(" |\n");
    sb.append("|---|---:|---:|---:|---|\n");
    for (Row r : rows) {
      if (r.figure.startsWith("## ")) {
        sb.append("| **").append(r.figure.substring(3)).append("** | | | | |\n");
      } else {
        sb.append("| ").append(r.figure).append(" | ").append(r.sextant).append(" | ")
            .append(r.peer).append(" | ").append(r.ratio).append(" | ").append(r.target)
            .append(" |\n");
      }
    }
    return sb.toString();
  }
}
