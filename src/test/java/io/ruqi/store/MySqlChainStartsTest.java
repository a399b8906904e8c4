package io.ruqi.store;

import io.ruqi.testing.MySqlStores;

/** The chain's claims on MariaDB, where two parents' transactions really run at once. */
class MySqlChainStartsTest extends ChainStartsTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("chains");
  }
}
