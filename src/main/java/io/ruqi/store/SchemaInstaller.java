package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the tables and indexes of schema.sql that are missing; the file is the single source of the schema. An
 * index added after its table (so that existing tables get it) is a plain CREATE INDEX, since MySQL 8 has no IF NOT
 * EXISTS for it: "already exists" means done. A column added after its table is a plain ALTER TABLE ... ADD COLUMN
 * for the same reason: "duplicate column" means done.
 */
public final class SchemaInstaller {
  private static final Pattern ADD_COLUMN = Pattern.compile("(?i)^ALTER TABLE (\\w+) ADD COLUMN (\\w+) ");

  private SchemaInstaller() {
  }

  /** Also the benchmark's, on the empty MySQL store it resets before each scenario. */
  public static Future<Void> install(Pool pool) {
    return install(pool, Dialect.MYSQL);
  }

  public static Future<Void> install(Pool pool, Dialect dialect) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : statements(dialect)) {
      boolean index = statement.regionMatches(true, 0, "CREATE INDEX ", 0, 13);
      boolean column = statement.regionMatches(true, 0, "ALTER TABLE ", 0, 12)
          && statement.toUpperCase(Locale.ROOT).contains(" ADD COLUMN ");
      chain = chain.compose(v -> (column ? hasColumn(pool, dialect, statement) : Future.succeededFuture(false)))
          .compose(present -> present ? Future.<Void>succeededFuture() : pool.query(statement).execute()
              .<Void>mapEmpty()
              .recover(e -> index && indexExists(e) || column && columnExists(e) ? Future.succeededFuture()
                  : Future.failedFuture(e)));
    }
    return chain;
  }

  /** schema.sql's statements in the words of {@code dialect}'s database (H2 takes MySQL's in its MySQL mode). */
  static List<String> statements(Dialect dialect) {
    List<String> mysql = statements(readSchema());
    if (dialect != Dialect.SQLITE) {
      return mysql;
    }
    List<String> out = new ArrayList<>();
    mysql.forEach(statement -> out.addAll(SqliteSchema.statements(statement)));
    return out;
  }

  /**
   * Whether the column an {@code ALTER TABLE t ADD COLUMN c ...} adds is there already (every start after the first,
   * and a new store whose CREATE TABLE has it): asked of INFORMATION_SCHEMA, so that the ALTER's expected failure
   * is not raised at every start (H2 traces every exception its driver throws). Unsure, it answers no: the ALTER
   * runs, and "duplicate column" still means done.
   */
  private static Future<Boolean> hasColumn(Pool pool, Dialect dialect, String statement) {
    Matcher m = ADD_COLUMN.matcher(statement);
    if (!m.find()) {
      return Future.succeededFuture(false);
    }
    // SCHEMA(): the current database on MySQL and MariaDB, the current schema on H2; SQLite lists a table's columns
    return pool.preparedQuery(dialect == Dialect.SQLITE
            ? "SELECT COUNT(*) FROM pragma_table_info(?) WHERE LOWER(name) = ?"
            : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_NAME) = ?"
            + " AND LOWER(COLUMN_NAME) = ? AND LOWER(TABLE_SCHEMA) = LOWER(SCHEMA())")
        .execute(Tuple.of(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT)))
        .map(rows -> rows.iterator().next().getLong(0) > 0).recover(e -> Future.succeededFuture(false));
  }

  /** MySQL's and MariaDB's ER_DUP_KEYNAME (1061), H2's INDEX_ALREADY_EXISTS_1 (42111), SQLite's message. */
  static boolean indexExists(Throwable failure) {
    if (SqliteErrors.isIndexExists(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code = t instanceof SQLException e ? e.getErrorCode() : t instanceof DatabaseException e ? e.getErrorCode() : 0;
      if (code == 1061 || code == 42111) {
        return true;
      }
    }
    return false;
  }

  /** MySQL's and MariaDB's ER_DUP_FIELDNAME (1060), H2's DUPLICATE_COLUMN_NAME_1 (42121), SQLite's message. */
  static boolean columnExists(Throwable failure) {
    if (SqliteErrors.isColumnExists(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code = t instanceof SQLException e ? e.getErrorCode() : t instanceof DatabaseException e ? e.getErrorCode() : 0;
      if (code == 1060 || code == 42121) {
        return true;
      }
    }
    return false;
  }

  static List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String statement : sql.toString().split(";")) {
      if (!statement.isBlank()) {
        out.add(statement.strip());
      }
    }
    return out;
  }

  private static String readSchema() {
    try (InputStream in = SchemaInstaller.class.getResourceAsStream("/schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("schema.sql is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
