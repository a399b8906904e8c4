package io.ruqi.store;

import io.ruqi.testing.MySqlStores;

/** The chunked history clear on MariaDB. */
class MySqlHistoryClearTest extends HistoryClearTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("clear");
  }
}
