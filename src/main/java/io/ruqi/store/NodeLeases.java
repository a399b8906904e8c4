package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;

/**
 * One row per node in ruqi_nodes: its lease, the sign that it is alive and that every fire it holds in ruqi_running
 * is its own. The lease is written and judged by the database's clock, never a node's: a node whose clock runs
 * ahead would otherwise take live peers for dead (and record their running fires interrupted), one whose clock runs
 * behind would write leases that end before they are renewed.
 */
public final class NodeLeases {
  private final Pool pool;
  private final Dialect dialect;

  NodeLeases(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /**
   * Renews {@code node}'s lease until {@code lease} from now on the database's clock. One row per node, so that
   * renewing never touches (nor waits for) the rows of the fires themselves.
   */
  public Future<Void> renew(String node, Duration lease) {
    long micros = lease.toNanos() / 1000;
    return pool.preparedQuery("UPDATE ruqi_nodes SET lease_until = " + dialect.utcNowPlusMicros() + " WHERE node = ?")
        .execute(Tuple.of(micros, node))
        .compose(rows -> rows.rowCount() > 0 ? Future.succeededFuture()
            // the first renewal (or one that wrote the same time again): the row is made if it is missing
            : pool.preparedQuery(dialect.insertIgnore() + " INTO ruqi_nodes (lease_until, node) VALUES ("
                + dialect.utcNowPlusMicros() + ", ?)" + dialect.ignoreEnd()).execute(Tuple.of(micros, node)).mapEmpty());
  }

  /**
   * The condition "this row's node has no lease running", for a query on ruqi_running: its lease ended, or it never
   * had one (rows of a node from before leases; a node writes its lease before its first claim).
   */
  String withoutLease() {
    return "node NOT IN (SELECT node FROM ruqi_nodes WHERE lease_until >= " + dialect.utcNow() + ")";
  }
}
