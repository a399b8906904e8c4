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
   * claim committed after the scheduler's pause saw it). H2's store has one connection: its statements never overlap.
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

  /** A unique or primary key was violated (SQLSTATE class 23 on both). */
  public boolean isDuplicateKey(Throwable failure) {
    String state = sqlState(failure);
    return state != null && state.startsWith("23");
  }

  private static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && e.getSQLState() != null) {
        return e.getSQLState();
      }
      if (t instanceof DatabaseException e && e.getSqlState() != null) {
        return e.getSqlState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
