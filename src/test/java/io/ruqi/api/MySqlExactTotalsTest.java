package io.ruqi.api;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** ExactTotalsTest on MariaDB. */
class MySqlExactTotalsTest extends ExactTotalsTest {

  @Override
  JsonObject store() {
    return new JsonObject().put("store", new JsonObject().put("url", MySqlStores.freshUrl("exact")));
  }

  @Override
  String numbers(int n) {
    return "SELECT seq AS i FROM seq_1_to_" + n;
  }
}
