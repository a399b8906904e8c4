package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Creates the tables of schema.sql that are missing; the file is the single source of the schema. */
final class SchemaInstaller {

  private SchemaInstaller() {
  }

  static Future<Void> install(Pool pool) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : statements(readSchema())) {
      chain = chain.compose(v -> pool.query(statement).execute().mapEmpty());
    }
    return chain;
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
