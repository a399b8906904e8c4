package io.ruqi.schedule;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** The chain take-over tests again, on MariaDB through the MySQL store. */
class MySqlChainTakeOverTest extends ChainTakeOverTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("chaintakeover");
  }
}
