package io.ruqi.testing;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** MariaDB's statements that wait, as its process list shows them: a test holds a lock and sees a write reach it. */
public final class LockWaits {
  private LockWaits() {
  }

  /**
   * Waits until one statement like {@code sqlLike} (a LIKE pattern) runs on another connection to the pool's
   * database (the server is shared by the tests of this JVM).
   */
  public static void awaitOne(Pool pool, String sqlLike, String what) {
    TestNode.eventually(20, what, () -> 1 == TestNode.await(pool.preparedQuery(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE ? AND db = DATABASE()"
                + " AND id <> CONNECTION_ID()")
        .execute(Tuple.of(sqlLike))).iterator().next().getLong(0));
  }
}
