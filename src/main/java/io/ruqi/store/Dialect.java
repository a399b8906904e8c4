package io.ruqi.store;

import io.vertx.sqlclient.DatabaseException;

import java.sql.SQLException;

/**
 * What differs between the embedded H2 store and MySQL/MariaDB. The SQL itself is shared (H2 runs in MySQL
 * mode); only how the two report errors, read their clocks and are reached differ.
 */
public enum Dialect {
  H2,
  MYSQL;

  private static final int MYSQL_DUPLICATE_ENTRY = 1062;

  /** An INSERT that skips rows whose unique key is taken (both speak MySQL's form; H2 in MySQL mode). */
  public String insertIgnore() {
    return "INSERT IGNORE";
  }

  /**
   * The database's clock, as a UTC DATETIME(3). Leases are written and judged by it, so that no node's clock
   * decides whether another node is alive (H2, embedded in the node, has no UTC_TIMESTAMP: its CURRENT_TIMESTAMP is
   * converted).
   */
  public String utcNow() {
    return this == MYSQL ? "UTC_TIMESTAMP(3)" : "CAST(CURRENT_TIMESTAMP(3) AT TIME ZONE 'UTC' AS TIMESTAMP(3))";
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
    return "TIMESTAMPADD(MICROSECOND, ?, " + utcNow() + ")";
  }

  /**
   * Makes a list page that no filter narrows read {@code index} in order. MariaDB chose, in some runs, to sort the
   * whole table instead (a million jobs: page 1,000 in 2.2 s rather than 30 ms; the slow log's plan showed it);
   * H2 reads the index unasked.
   */
  String orderedBy(String index) {
    return this == MYSQL ? " FORCE INDEX (" + index + ")" : "";
  }

  /**
   * A unique or primary key was violated: MySQL's and MariaDB's ER_DUP_ENTRY (1062), H2's DUPLICATE_KEY_1 (SQLSTATE
   * 23505). Not the rest of SQLSTATE class 23 (a NULL in a NOT NULL column, a check or a foreign key), which MySQL
   * reports as 23000 too: such a refusal is the store's error, not "already exists".
   */
  public boolean isDuplicateKey(Throwable failure) {
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
