package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Scalar;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.BinOp;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.VectorMatching.Cardinality;
import dev.sextant.query.promql.parser.Expr.VectorMatching;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Binary operators between scalars and vectors, with Prometheus's vector matching. */
final class BinaryOps {
  private BinaryOps() {}

  static Value eval(Evaluator ev, Binary b, long t) {
    Value l = ev.eval(b.lhs(), t);
    // Like Prometheus, the right side of "and"/"unless" is skipped when the left side is empty.
    if ((b.op() == BinOp.AND || b.op() == BinOp.UNLESS) && l instanceof Vec lv
        && lv.samples().isEmpty()) {
      return lv;
    }
    Value r = ev.eval(b.rhs(), t);
    if (l instanceof Scalar ls && r instanceof Scalar rs) {
      return new Scalar(apply(b.op(), ls.v(), rs.v(), b.returnBool())[0]);
    }
    if (l instanceof Vec lv && r instanceof Scalar rs) {
      return vectorScalar(b, lv.samples(), rs.v(), false, t);
    }
    if (l instanceof Scalar ls && r instanceof Vec rv) {
      return vectorScalar(b, rv.samples(), ls.v(), true, t);
    }
    return vectorVector(b, ((Vec) l).samples(), ((Vec) r).samples(), t);
  }

  /** Returns {value, keep (1/0)}; comparisons without bool yield the left value when true. */
  static double[] apply(BinOp op, double l, double r, boolean returnBool) {
    double v;
    boolean cmp;
    switch (op) {
      case ADD -> {
        return new double[] {l + r, 1};
      }
      case SUB -> {
        return new double[] {l - r, 1};
      }
      case MUL -> {
        return new double[] {l * r, 1};
      }
      case DIV -> {
        return new double[] {l / r, 1};
      }
      case MOD -> {
        return new double[] {l % r, 1};
      }
      case POW -> {
        return new double[] {FloatMath.pow(l, r), 1};
      }
      case ATAN2 -> {
        return new double[] {Math.atan2(l, r), 1};
      }
      case EQLC -> cmp = l == r;
      case NEQ -> cmp = l != r;
      case GTR -> cmp = l > r;
      case LSS -> cmp = l < r;
      case GTE -> cmp = l >= r;
      case LTE -> cmp = l <= r;
      default -> throw new IllegalStateException("operator " + op + " on floats");
    }
    if (returnBool) {
      return new double[] {cmp ? 1 : 0, 1};
    }
    v = l;
    return new double[] {v, cmp ? 1 : 0};
  }

  private static boolean changesSchema(Binary b) {
    return !b.op().isComparison() || b.returnBool();
  }

  private static Vec vectorScalar(Binary b, List<Smp> vec, double scalar, boolean swap, long t) {
    List<Smp> out = new ArrayList<>(vec.size());
    boolean drop = changesSchema(b);
    for (Smp s : vec) {
      double l = swap ? scalar : s.v();
      double r = swap ? s.v() : scalar;
      double[] res = apply(b.op(), l, r, b.returnBool());
      if (res[1] == 0) {
        continue;
      }
      double v = res[0];
      if (b.op().isComparison() && !b.returnBool()) {
        v = s.v();
      }
      out.add(drop ? s.dropping(v, t) : new Smp(s.labels(), v, t, s.dropName(), s.noName()));
    }
    return new Vec(out);
  }

  /** The match signature of a sample's labels. */
  static Labels signature(Smp s, VectorMatching m) {
    Labels l = s.labels();
    if (m.on()) {
      return LabelSets.keepOnly(s.effectiveLabels(), m.labels());
    }
    return LabelSets.withoutAll(l, m.labels(), true);
  }

  private static Vec vectorVector(Binary b, List<Smp> lhs, List<Smp> rhs, long t) {
    VectorMatching m = b.matching();
    switch (b.op()) {
      case AND -> {
        Set<Labels> right = new HashSet<>();
        for (Smp s : rhs) {
          right.add(signature(s, m));
        }
        List<Smp> out = new ArrayList<>();
        for (Smp s : lhs) {
          if (right.contains(signature(s, m))) {
            out.add(s);
          }
        }
        return new Vec(out);
      }
      case OR -> {
        Set<Labels> left = new HashSet<>();
        List<Smp> out = new ArrayList<>(lhs);
        for (Smp s : lhs) {
          left.add(signature(s, m));
        }
        for (Smp s : rhs) {
          if (!left.contains(signature(s, m))) {
            out.add(s);
          }
        }
        return new Vec(out);
      }
      case UNLESS -> {
        Set<Labels> right = new HashSet<>();
        for (Smp s : rhs) {
          right.add(signature(s, m));
        }
        List<Smp> out = new ArrayList<>();
        for (Smp s : lhs) {
          if (!right.contains(signature(s, m))) {
            out.add(s);
          }
        }
        return new Vec(out);
      }
      default -> {
        return arithmetic(b, lhs, rhs, t);
      }
    }
  }

  private static Vec arithmetic(Binary b, List<Smp> lhs, List<Smp> rhs, long t) {
    VectorMatching m = b.matching();
    boolean swapped = m.card() == Cardinality.ONE_TO_MANY;
    List<Smp> many = swapped ? rhs : lhs;
    List<Smp> one = swapped ? lhs : rhs;
    Map<Labels, Smp> oneBySig = new HashMap<>();
    for (Smp s : one) {
      Labels sig = signature(s, m);
      Smp prev = oneBySig.put(sig, s);
      if (prev != null) {
        String side = swapped ? "left" : "right";
        throw new QueryException(QueryException.Kind.EXECUTION,
            "found duplicate series for the match group " + sigString(sig) + " on the " + side
                + " hand-side of the operation: " + sortedPair(prev.labels(), s.labels())
                + ";many-to-many matching not allowed: matching labels "
                + "must be unique on one side");
      }
    }
    boolean drop = changesSchema(b);
    List<Smp> out = new ArrayList<>();
    Map<Labels, Labels> seenOneToOne = new HashMap<>();
    Set<Labels> seenResult = new HashSet<>();
    for (Smp s : many) {
      Labels sig = signature(s, m);
      Smp o = oneBySig.get(sig);
      if (o == null) {
        continue;
      }
      double l = swapped ? o.v() : s.v();
      double r = swapped ? s.v() : o.v();
      double[] res = apply(b.op(), l, r, b.returnBool());
      // Checked before filtering so that the error doesn't depend on the data's values.
      if (m.card() == Cardinality.ONE_TO_ONE && seenOneToOne.put(sig, sig) != null) {
        throw new QueryException(QueryException.Kind.EXECUTION,
            "multiple matches for labels: many-to-one matching must be explicit "
                + "(group_left/group_right)");
      }
      if (res[1] == 0) {
        continue;
      }
      Labels metric = resultMetric(s, o, m);
      boolean dropName = drop || s.dropName();
      if (m.card() != Cardinality.ONE_TO_ONE && !seenResult.add(
          dropName ? LabelSets.without(metric, Labels.NAME) : metric)) {
        throw new QueryException(QueryException.Kind.EXECUTION,
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      out.add(new Smp(metric, res[0], t, dropName));
    }
    return new Vec(out);
  }

  private static Labels resultMetric(Smp many, Smp one, VectorMatching m) {
    Labels l = many.labels();
    if (m.card() == Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        TreeMap<String, String> keep = new TreeMap<>();
        for (String n : m.labels()) {
          String v = l.get(n);
          if (!v.isEmpty()) {
            keep.put(n, v);
          }
        }
        return Labels.of(keep);
      }
      l = LabelSets.withoutAll(l, m.labels(), false);
    }
    if (!m.include().isEmpty()) {
      TreeMap<String, String> map = l.toMap();
      for (String n : m.include()) {
        String v = one.labels().get(n);
        if (v.isEmpty()) {
          map.remove(n);
        } else {
          map.put(n, v);
        }
      }
      l = Labels.of(map);
    }
    return l;
  }

  private static String sortedPair(Labels a, Labels b) {
    if (a.compareTo(b) > 0) {
      Labels x = a;
      a = b;
      b = x;
    }
    return "[" + sigString(a) + ", " + sigString(b) + "]";
  }

  /** Prometheus's labels.String(): every label in braces, __name__ included. */
  static String sigString(Labels sig) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (var lbl : sig) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(lbl.name()).append("=\"").append(lbl.value()).append('"');
    }
    return sb.append('}').toString();
  }
}
