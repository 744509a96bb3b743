package dev.sextant.query.promql;

import java.math.BigDecimal;
import java.util.Arrays;

/** Float helpers matching Go's math package and Prometheus's numerics. */
final class FloatMath {
  static final double MIN_NORMAL = 2.2250738585072014e-308;

  private FloatMath() {}

  /** Neumaier-compensated summation step; returns {newSum, newC}. */
  static double[] kahanInc(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }

  static boolean almostEqual(double a, double b, double eps) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < eps * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < eps;
  }

  /** Go's math.Pow special cases differ from Java's for a base of ±1. */
  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      int exp = Math.getExponent(x);
      if (exp >= Double.MIN_EXPONENT) {
        double frac = x / Math.scalb(1.0, exp + 1);
        if (frac == 0.5) {
          return exp;
        }
        return Math.log(frac) * (1 / Math.log(2)) + exp + 1;
      }
    }
    return Math.log(x) / Math.log(2);
  }

  /** Go's strconv.FormatFloat(f, 'f', -1, 64) (used for label values and count_values). */
  static String formatPlain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Prometheus's quantile over a sorted-on-demand array (NaNs sort first). */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] s = values.clone();
    sortNaNFirst(s);
    double n = s.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return s[(int) lower] * (1 - weight) + s[(int) upper] * weight;
  }

  static void sortNaNFirst(double[] s) {
    Arrays.sort(s);
    // Arrays.sort puts NaN last; Prometheus's heap order puts it first.
    int nan = 0;
    for (int i = s.length - 1; i >= 0 && Double.isNaN(s[i]); i--) {
      nan++;
    }
    if (nan > 0) {
      System.arraycopy(s, 0, s, nan, s.length - nan);
      for (int i = 0; i < nan; i++) {
        s[i] = Double.NaN;
      }
    }
  }

  /** Mean as Prometheus 3 computes it (Kahan sum, falling back to incremental mean on overflow). */
  static double mean(double[] vals, int n) {
    double sum = 0;
    double mean = 0;
    double c = 0;
    double count = 0;
    boolean incremental = false;
    for (int i = 0; i < n; i++) {
      double f = vals[i];
      count++;
      if (!incremental) {
        double[] r = kahanInc(f, sum, c);
        if (count == 1 || !Double.isInfinite(r[0])) {
          sum = r[0];
          c = r[1];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c /= count - 1;
      }
      double q = (count - 1) / count;
      double[] r = kahanInc(f / count, q * mean, q * c);
      mean = r[0];
      c = r[1];
    }
    if (incremental) {
      return mean + c;
    }
    return sum / count + c / count;
  }

  /** Population variance as Prometheus computes it. */
  static double variance(double[] vals, int n) {
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = 0; i < n; i++) {
      double f = vals[i];
      count++;
      double delta = f - (mean + cMean);
      double[] r = kahanInc(delta / count, mean, cMean);
      mean = r[0];
      cMean = r[1];
      r = kahanInc(delta * (f - (mean + cMean)), aux, cAux);
      aux = r[0];
      cAux = r[1];
    }
    return (aux + cAux) / count;
  }

  static double sum(double[] vals, int n) {
    double sum = 0;
    double c = 0;
    for (int i = 0; i < n; i++) {
      double[] r = kahanInc(vals[i], sum, c);
      sum = r[0];
      c = r[1];
    }
    if (Double.isInfinite(sum)) {
      return sum;
    }
    return sum + c;
  }
}
