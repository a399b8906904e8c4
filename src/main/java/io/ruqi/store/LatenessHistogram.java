package io.ruqi.store;

/**
 * Lateness (a run's start minus its fire time) counted in classes rather than read row by row, so that p50/p99 over a
 * day of a busy install costs one grouped scan of an index, not millions of rows shipped to the node. Percentiles are
 * estimated as Prometheus' histogram_quantile does: linearly inside the class the rank falls in.
 */
public final class LatenessHistogram {
  /** Upper bounds of the classes, in milliseconds; a last class holds everything later. */
  static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
      300_000};

  private final long[] counts = new long[BOUNDS_MS.length + 1];

  public static int classes() {
    return BOUNDS_MS.length + 1;
  }

  /** The SQL expression of the class of {@code micros}, a lateness in microseconds (never negative in practice). */
  static String sqlClass(String micros) {
    StringBuilder sql = new StringBuilder("CASE");
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      sql.append(" WHEN ").append(micros).append(" <= ").append(BOUNDS_MS[i] * 1000).append(" THEN ").append(i);
    }
    return sql.append(" ELSE ").append(BOUNDS_MS.length).append(" END").toString();
  }

  public void add(int lateClass, long count) {
    counts[Math.max(0, Math.min(counts.length - 1, lateClass))] += count;
  }

  public long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** The estimated {@code q} quantile (0..1) in milliseconds, or null when nothing was counted. */
  public Double quantileMs(double q) {
    long total = total();
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        if (i == BOUNDS_MS.length) {
          return (double) BOUNDS_MS[i - 1]; // later than the last bound: that bound is all that is known
        }
        double lower = i == 0 ? 0 : BOUNDS_MS[i - 1];
        return lower + (BOUNDS_MS[i] - lower) * ((rank - below) / counts[i]);
      }
      below += counts[i];
    }
    return (double) BOUNDS_MS[BOUNDS_MS.length - 1];
  }
}
