package io.ruqi.api;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** The history_stats tests on MariaDB. */
class MySqlHistoryStatsTest extends HistoryStatsTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("stats");
  }
}
