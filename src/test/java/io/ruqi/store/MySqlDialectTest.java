package io.ruqi.store;

import io.ruqi.testing.MySqlStores;

/** The same on MariaDB, which reports a NULL in a NOT NULL column as SQLSTATE 23000, as it does a taken key. */
class MySqlDialectTest extends DialectTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("dialect");
  }

  @Override
  Dialect dialect() {
    return Dialect.MYSQL;
  }
}
