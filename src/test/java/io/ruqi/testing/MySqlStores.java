package io.ruqi.testing;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh, empty databases on the shared private MariaDB, one per test, as node configuration. */
public final class MySqlStores {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private MySqlStores() {
  }

  public static String freshUrl(String prefix) {
    return MariaDbServer.shared().createDatabase("ruqi_" + prefix + "_" + COUNTER.incrementAndGet());
  }

  public static JsonObject freshStore(String prefix) {
    return new JsonObject().put("store", new JsonObject().put("url", freshUrl(prefix)));
  }
}
