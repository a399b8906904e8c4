package io.ruqi.api;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every API test again, on MariaDB through the MySQL store. */
class MySqlApiHttpTest extends ApiHttpTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("api");
  }
}
