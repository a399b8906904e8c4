package io.ruqi.store;

import io.ruqi.config.ConfigException;
import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded store's file is one process's, and private whoever made it. */
class SqliteFileTest {
  @TempDir
  Path dir;
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  Stores open(String url) {
    return TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject()
        .put("store", new JsonObject().put("url", url)))));
  }

  @Test
  void a_second_open_of_a_store_file_in_use_is_refused_and_the_file_is_free_again_once_closed() {
    String url = "sqlite:" + dir.resolve("ruqi.db");
    Stores first = open(url);
    Throwable refused = assertThrows(RuntimeException.class, () -> open(url));
    while (!(refused instanceof ConfigException) && refused.getCause() != null) {
      refused = refused.getCause();
    }
    assertTrue(refused instanceof ConfigException && refused.getMessage().contains("store.url")
        && refused.getMessage().contains("in use"), refused.toString());
    TestNode.await(first.close());
    TestNode.await(open(url).close());
  }

  @Test
  void a_store_file_restored_open_to_others_is_made_private_at_start() throws Exception {
    Path file = dir.resolve("ruqi.db");
    TestNode.await(open("sqlite:" + file).close());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Stores again = open("sqlite:" + file);
    try {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          Path.of(file + "-wal"))));
    } finally {
      TestNode.await(again.close());
    }
  }

  @Test
  void a_path_the_driver_would_read_settings_from_is_refused() {
    for (String url : new String[] {"sqlite:/tmp/x.db?cache=private", "sqlite:a#b.db", "sqlite:a;b.db", "sqlite:",
        "sqlite:a\n?locking_mode=EXCLUSIVE"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> RuqiConfig.from(new JsonObject()
          .put("store", new JsonObject().put("url", url))), url);
      assertTrue(e.getMessage().contains("store.url"), e.getMessage());
    }
    assertEquals("sqlite:data/ruqi.db", RuqiConfig.from(new JsonObject()).storeUrl(), "the default");
  }

  /** A file that is no database: the start stops with the cause, instead of waiting for the store for ever. */
  @Test
  void a_store_file_that_is_no_database_stops_the_start() throws Exception {
    Path file = dir.resolve("ruqi.db");
    Files.writeString(file, "this is no SQLite database, but a file someone put here by mistake ".repeat(100));
    Throwable refused = assertThrows(RuntimeException.class, () -> open("sqlite:" + file));
    while (!(refused instanceof ConfigException) && refused.getCause() != null) {
      refused = refused.getCause();
    }
    assertTrue(refused instanceof ConfigException && refused.getMessage().contains("store.url"), refused.toString());
    TestNode.await(open("sqlite:" + dir.resolve("other.db")).close());
  }
}
