package io.ruqi.store;

import io.vertx.sqlclient.DatabaseException;

import java.sql.SQLException;

/**
 * What differs between the embedded H2 store and MySQL/MariaDB. The SQL itself is shared (H2 runs in MySQL
 * mode); only how the two report errors and how they are reached differ.
 */
public enum Dialect {
  H2,
  MYSQL;

  /** An INSERT that skips rows whose unique key is taken (both speak MySQL's form; H2 in MySQL mode). */
  public String insertIgnore() {
    return "INSERT IGNORE";
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
