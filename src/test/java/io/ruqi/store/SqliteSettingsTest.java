package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the durability promise rests on: the SQLite store's connection as the driver really set it up. */
class SqliteSettingsTest {

  @Test
  void every_commit_is_forced_to_the_disk_in_wal_mode_and_a_locked_database_is_waited_for(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      Stores stores = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject()
          .put("store", new JsonObject().put("url", "sqlite:" + dir.resolve("ruqi.db"))))));
      try {
        assertEquals("wal", pragma(stores, "journal_mode"));
        assertEquals("2", pragma(stores, "synchronous"), "FULL: the WAL is forced to the disk at every commit");
        assertEquals("5000", pragma(stores, "busy_timeout"));
      } finally {
        TestNode.await(stores.close());
      }
    } finally {
      TestNode.await(vertx.close());
    }
  }

  private static String pragma(Stores stores, String name) {
    return String.valueOf(TestNode.await(stores.pool().query("PRAGMA " + name).execute()).iterator().next()
        .getValue(0));
  }
}
