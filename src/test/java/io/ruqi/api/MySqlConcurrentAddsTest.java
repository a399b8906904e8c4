package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;
import io.ruqi.testing.TestNode;

/**
 * ConcurrentAddsTest's tests again, on MariaDB through the MySQL store, where the server's own count of INSERT
 * statements also shows that the adds were written in batches (a batch that fails is written again one add at a
 * time, so the answers alone would not show it).
 */
class MySqlConcurrentAddsTest extends ConcurrentAddsTest implements OnMariaDb {
  @Override
  long insertStatements() {
    return TestNode.await(node.node.stores().pool().query("SHOW GLOBAL STATUS LIKE 'Com_insert'").execute())
        .iterator().next().getString(1).transform(Long::parseLong);
  }
}
