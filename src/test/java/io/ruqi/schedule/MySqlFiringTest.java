package io.ruqi.schedule;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every firing test again, on MariaDB through the MySQL store. */
class MySqlFiringTest extends FiringTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("fire");
  }
}
