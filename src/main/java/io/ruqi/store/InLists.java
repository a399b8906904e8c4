package io.ruqi.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IN lists of a few lengths, so that the statements built around them stay prepared on MySQL's connections. The
 * MySQL client keeps a connection's prepared statements by their text; a claim of 437 jobs, then one of 462, were
 * each prepared anew (a round trip, and MariaDB parsing hundreds of parameters: about a tenth of its CPU in a drain,
 * in {@code Prepared_statement::prepare}). A list is padded to the next of a few lengths by repeating its last
 * value, which picks no other row and no row twice: IN is a set. SQLite and H2 statements are not kept prepared by
 * the JDBC pool, so their lists are left as they are.
 */
final class InLists {
  /** The longest list padded: a claim's or a history write's batch (500) fits. */
  static final int MAX_PADDED = 512;
  /** Statements that may be kept prepared whatever their length (see {@link #keptPrepared}). */
  private static final int MAX_SHAPES = 1_000;
  /** The client's default: a statement of at most this many characters is kept prepared as it is. */
  private static final int SHORT_SQL = 2_048;
  private static final Set<String> SHAPES = ConcurrentHashMap.newKeySet();

  private InLists() {
  }

  /** Whether lists of {@code n} values are padded. */
  static boolean pads(Dialect dialect, int n) {
    return dialect == Dialect.MYSQL && n <= MAX_PADDED;
  }

  /** How many values an IN list of {@code n} values holds once padded. */
  static int length(Dialect dialect, int n) {
    if (!pads(dialect, n) || n <= 4) {
      return n;
    }
    // the next of 6, 8, 12, 16, 24, ... 384, 512: a list grows by at most half (MariaDB's range analysis of an IN
    // list, redone at each execution, takes time with its length)
    int power = Integer.highestOneBit(n - 1) << 1;
    return n <= power / 4 * 3 ? power / 4 * 3 : power;
  }

  /** {@code values}, padded to {@link #length} with its last value. */
  static <T> List<T> padded(Dialect dialect, List<T> values) {
    return paddedTo(values, length(dialect, values.size()));
  }

  /** {@code values} (not empty), padded to {@code length} with its last value. */
  static <T> List<T> paddedTo(List<T> values, int length) {
    if (length <= values.size()) {
      return values;
    }
    List<T> out = new ArrayList<>(length);
    out.addAll(values);
    out.addAll(Collections.nCopies(length - values.size(), values.get(values.size() - 1)));
    return out;
  }

  /** {@code n} placeholders, comma-separated. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /**
   * Marks {@code sql}, a statement around lists of {@code n} values padded by {@link #padded}, as one to keep
   * prepared whatever its length; answers it. Only padded lists make shapes (a few statements, eighteen lengths: an
   * unpadded list of every length would fill the server's memory and this set); the connection's cache (see
   * StoreFactory) holds at most its own count of them.
   */
  static String shape(Dialect dialect, int n, String sql) {
    if (pads(dialect, n) && sql.length() > SHORT_SQL && SHAPES.size() < MAX_SHAPES) {
      SHAPES.add(sql);
    }
    return sql;
  }

  /**
   * Whether a connection keeps {@code sql} prepared: a short one as the client would, a long one only if it is a
   * padded shape. A statement of any other length is prepared and closed each time, as the server holds a prepared
   * statement's parse tree (MariaDB: ~0.3 MB for an IN list of 512, ~1.3 MB for the claim's UPDATE with two CASEs of
   * 512) until it is closed.
   */
  static boolean keptPrepared(String sql) {
    return sql.length() <= SHORT_SQL || SHAPES.contains(sql);
  }
}
