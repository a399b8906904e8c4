package io.ruqi.schedule;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every take-over test again, on MariaDB through the MySQL store. */
class MySqlTakeOverTest extends TakeOverTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("takeover");
  }
}
