package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Creates the tables and indexes of schema.sql that are missing; the file is the single source of the schema. An
 * index added after its table (so that existing tables get it) is a plain CREATE INDEX, since MySQL 8 has no IF NOT
 * EXISTS for it: "already exists" means done. A column added after its table is a plain ALTER TABLE ... ADD COLUMN
 * for the same reason: "duplicate column" means done.
 */
final class SchemaInstaller {

  private SchemaInstaller() {
  }

  static Future<Void> install(Pool pool) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : statements(readSchema())) {
      boolean index = statement.regionMatches(true, 0, "CREATE INDEX ", 0, 13);
      boolean column = statement.regionMatches(true, 0, "ALTER TABLE ", 0, 12)
          && statement.toUpperCase(Locale.ROOT).contains(" ADD COLUMN ");
      chain = chain.compose(v -> pool.query(statement).execute().<Void>mapEmpty()
          .recover(e -> index && indexExists(e) || column && columnExists(e) ? Future.succeededFuture()
              : Future.failedFuture(e)));
    }
    return chain;
  }

  /** MySQL's and MariaDB's ER_DUP_KEYNAME (1061), H2's INDEX_ALREADY_EXISTS_1 (42111). */
  static boolean indexExists(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code = t instanceof SQLException e ? e.getErrorCode() : t instanceof DatabaseException e ? e.getErrorCode() : 0;
      if (code == 1061 || code == 42111) {
        return true;
      }
    }
    return false;
  }

  /** MySQL's and MariaDB's ER_DUP_FIELDNAME (1060), H2's DUPLICATE_COLUMN_NAME_1 (42121). */
  static boolean columnExists(Throwable failure) {
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
