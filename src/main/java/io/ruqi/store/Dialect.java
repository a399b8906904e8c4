package io.ruqi.store;

import io.vertx.sqlclient.DatabaseException;

import java.sql.SQLException;
import java.util.Collections;

/**
 * What differs between the stores' databases: MySQL/MariaDB, the embedded SQLite, and H2 (the embedded store before
 * SQLite, still opened by an {@code h2:} URL). The SQL itself is shared (H2 runs in MySQL mode, SQLite takes most of
 * it as it is); the few words that differ, how each reports errors and reads its clock are here.
 */
public enum Dialect {
  H2,
  MYSQL,
  SQLITE;

  private static final int MYSQL_DUPLICATE_ENTRY = 1062;
  /** How SQLite writes a time: ISO 8601 to the millisecond, so that text order is time order. */
  private static final String SQLITE_TIME = "'%Y-%m-%dT%H:%M:%f'";

  /**
   * An INSERT that skips rows whose unique key is taken: {@code insertIgnore() + " INTO t (...) VALUES ..." +
   * ignoreEnd()}. SQLite's is its upsert's DO NOTHING, which skips a taken key only: its INSERT OR IGNORE would also
   * skip, without a word, a row that breaks NOT NULL.
   */
  public String insertIgnore() {
    return this == SQLITE ? "INSERT" : "INSERT IGNORE";
  }

  /** See {@link #insertIgnore()}. */
  public String ignoreEnd() {
    return this == SQLITE ? " ON CONFLICT DO NOTHING" : "";
  }

  /** The value that asks for the next AUTO_INCREMENT key (SQLite has no DEFAULT in a VALUES list). */
  String nextKey() {
    return this == SQLITE ? "NULL" : "DEFAULT";
  }

  /**
   * Locks the rows a read inside a transaction returns until it commits. SQLite has no row locks: its transactions
   * begin IMMEDIATE (the database's one write lock, taken at BEGIN; see {@link Transactions}), so nothing changes
   * under a read that a write of the same transaction follows.
   */
  public String forUpdate() {
    return this == SQLITE ? "" : " FOR UPDATE";
  }

  /**
   * The database's clock, as a UTC DATETIME(3). Leases are written and judged by it, so that no node's clock
   * decides whether another node is alive (H2, embedded in the node, has no UTC_TIMESTAMP: its CURRENT_TIMESTAMP is
   * converted).
   */
  public String utcNow() {
    return switch (this) {
      case MYSQL -> "UTC_TIMESTAMP(3)";
      case H2 -> "CAST(CURRENT_TIMESTAMP(3) AT TIME ZONE 'UTC' AS TIMESTAMP(3))";
      case SQLITE -> "strftime(" + SQLITE_TIME + ", 'now')";
    };
  }

  /**
   * A read that a concurrent writer of the row waits for, and that waits for it: MySQL's shared lock (so that a
   * claim committed after the scheduler's pause saw it). H2's store runs these on its one main connection (its only
   * other one writes start marks), so they never overlap.
   */
  public String sharedLock() {
    return this == MYSQL ? " LOCK IN SHARE MODE" : "";
  }

  /** The database's clock plus a number of microseconds given as the next parameter. */
  public String utcNowPlusMicros() {
    return this == SQLITE ? "strftime(" + SQLITE_TIME + ", 'now', printf('%+.6f seconds', ? / 1000000.0))"
        : "TIMESTAMPADD(MICROSECOND, ?, " + utcNow() + ")";
  }

  /** Microseconds from one DATETIME column or parameter to another, as a whole number. */
  String microsBetween(String from, String to) {
    return this == SQLITE ? "CAST(ROUND((unixepoch(" + to + ", 'subsec') - unixepoch(" + from + ", 'subsec'))"
        + " * 1000000) AS INTEGER)" : "TIMESTAMPDIFF(MICROSECOND, " + from + ", " + to + ")";
  }

  /**
   * Whole seconds from one DATETIME column or parameter to another, rounded down; on SQLite the difference of the
   * two times' whole seconds, which is the same when {@code from} is a whole second (HistoryBuckets' bucket start).
   */
  String secondsBetween(String from, String to) {
    return this == SQLITE ? "CAST(unixepoch(" + to + ") - unixepoch(" + from + ") AS INTEGER)"
        : "TIMESTAMPDIFF(SECOND, " + from + ", " + to + ")";
  }

  /**
   * A row-value IN list of {@code rows} rows of {@code width} parameters: {@code ((?, ?), (?, ?))}; SQLite takes
   * such a list as a VALUES clause only.
   */
  String rowValues(int rows, int width) {
    String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
    return "(" + (this == SQLITE ? "VALUES " : "") + String.join(", ", Collections.nCopies(rows, row)) + ")";
  }

  /**
   * Deletes at most {@code limit} rows of {@code table} that {@code where} picks (MySQL's DELETE ... LIMIT, which
   * SQLite as built by its JDBC driver does not take).
   */
  String deleteAtMost(String table, String where, int limit) {
    return this == SQLITE ? "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + where + " LIMIT "
        + limit + ")" : "DELETE FROM " + table + where + " LIMIT " + limit;
  }

  /**
   * Makes a read use {@code index} (after the table's name). MariaDB chose otherwise where its estimate misled it: a
   * list page that no filter narrows sorted the whole table (a million jobs: page 1,000 in 2.2 s rather than 30 ms),
   * and a claim's read of 500 jobs' running rows by the primary key scanned the whole table once it held about as
   * many rows as the list (the slow log's plans showed both). SQLite and H2 use the index unasked.
   */
  String usingIndex(String index) {
    return this == MYSQL ? " FORCE INDEX (" + index + ")" : "";
  }

  /**
   * A unique or primary key was violated: MySQL's and MariaDB's ER_DUP_ENTRY (1062), H2's DUPLICATE_KEY_1 (SQLSTATE
   * 23505), SQLite's SQLITE_CONSTRAINT_PRIMARYKEY and _UNIQUE. Not the rest of SQLSTATE class 23 (a NULL in a NOT
   * NULL column, a check or a foreign key), which MySQL reports as 23000 too: such a refusal is the store's error,
   * not "already exists".
   */
  public boolean isDuplicateKey(Throwable failure) {
    if (this == SQLITE) {
      return SqliteErrors.isDuplicateKey(failure);
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // the first of the causes that is the database's own refusal decides (a wrapper may hold it)
      if (t instanceof SQLException e && (e.getSQLState() != null || e.getErrorCode() != 0)) {
        return this == MYSQL ? e.getErrorCode() == MYSQL_DUPLICATE_ENTRY : "23505".equals(e.getSQLState());
      }
      if (t instanceof DatabaseException e && (e.getSqlState() != null || e.getErrorCode() != 0)) {
        return this == MYSQL ? e.getErrorCode() == MYSQL_DUPLICATE_ENTRY : "23505".equals(e.getSqlState());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
