package io.ruqi.schedule;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every chain test again, on MariaDB through the MySQL store. */
class MySqlChainTest extends ChainTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("chain");
  }
}
