package io.ruqi.store;

import io.ruqi.testing.MySqlStores;

/** The schema upgrade on MariaDB. */
class MySqlSchemaUpgradeTest extends SchemaUpgradeTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("schema");
  }

  @Override
  String indexColumns() {
    return "STATISTICS";
  }

  @Override
  String thisDatabase() {
    return " AND TABLE_SCHEMA = DATABASE()";
  }

  @Override
  String onTable(Stores stores) {
    return " ON ruqi_jobs_history";
  }
}
