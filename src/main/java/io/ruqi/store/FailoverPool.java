package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A pool over one of several database hosts at a time, the members of a Galera cluster: every statement goes to the
 * member in use, and a watch asks that member every second whether it is still usable ({@link MemberHealth}); when it
 * is not (gone, not Synced, not ready, cut off from the primary component) the node moves to the next usable host of
 * the list, without a restart.
 *
 * <p>One member at a time, not a round robin: a node's own writes are then read back where they were made (Galera
 * applies a commit on the other members a moment later), and its transactions do not fail each other's certification.
 * Moving closes the old member's connections: statements in flight fail as in a store outage, whose rules hold (a
 * claim is read again, history rows wait in memory); a connection to the new member first waits until that member
 * has applied every commit the cluster had made ({@code wsrep_sync_wait}), so the node finds its own last writes.
 */
final class FailoverPool implements Pool {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverPool.class);
  static final long WATCH_MS = 1_000;

  private final Vertx vertx;
  private final List<MySQLConnectOptions> hosts;
  private final Function<MySQLConnectOptions, Pool> open;
  private final MemberProbes probes;
  private final long timer;
  private volatile int current;
  private volatile Pool pool;
  private volatile boolean closed;
  private boolean watching;
  private String lastProblem;

  private FailoverPool(Vertx vertx, List<MySQLConnectOptions> hosts, Function<MySQLConnectOptions, Pool> open,
                       MemberProbes probes, int first) {
    this.vertx = vertx;
    this.hosts = hosts;
    this.open = open;
    this.probes = probes;
    this.current = first;
    this.pool = open.apply(hosts.get(first));
    this.timer = vertx.setPeriodic(WATCH_MS, id -> watch());
  }

  /**
   * Opens the pool on the first usable host of {@code hosts}; fails with a {@link StoreUnavailableException} naming
   * each host's trouble when none is usable. {@code open} makes the working pool on a host, {@code probe} a
   * one-connection pool for its health checks.
   */
  static Future<Pool> open(Vertx vertx, List<MySQLConnectOptions> hosts, Function<MySQLConnectOptions, Pool> open,
                           Function<MySQLConnectOptions, Pool> probe) {
    MemberProbes probes = new MemberProbes(hosts, probe);
    return firstUsable(hosts, probes, 0, new ArrayList<>()).<Pool>map(first -> {
      LOG.info("store: using {} of {}", StoreHosts.name(hosts.get(first)), names(hosts));
      return new FailoverPool(vertx, hosts, open, probes, first);
    }).recover(e -> probes.close().transform(ignored -> Future.failedFuture(e)));
  }

  private static Future<Integer> firstUsable(List<MySQLConnectOptions> hosts, MemberProbes probes, int i,
                                             List<String> problems) {
    if (i == hosts.size()) {
      return Future.failedFuture(new StoreUnavailableException(new IllegalStateException(
          "no database host is usable: " + String.join("; ", problems))));
    }
    return probes.check(i).compose(health -> {
      if (health.usable()) {
        return Future.succeededFuture(i);
      }
      problems.add(StoreHosts.name(hosts.get(i)) + " " + health.why());
      return firstUsable(hosts, probes, i + 1, problems);
    });
  }

  /** The host in use, {@code host:port}. */
  String host() {
    return StoreHosts.name(hosts.get(current));
  }

  private void watch() {
    if (watching || closed) {
      return;
    }
    watching = true;
    int from = current;
    probes.check(from).compose(health -> health.usable() ? Future.succeededFuture()
            : moveFrom(from, health.why(), 1))
        .onComplete(ar -> watching = false);
  }

  /** Tries the hosts after {@code from} in the list's order, round to the one before it. */
  private Future<Void> moveFrom(int from, String why, int step) {
    if (step == hosts.size()) {
      String problem = host() + " " + why + " and no other host is usable";
      if (!problem.equals(lastProblem)) {
        LOG.warn("store: {}; staying on it", problem);
        lastProblem = problem;
      }
      return Future.succeededFuture();
    }
    int next = (from + step) % hosts.size();
    return probes.check(next).compose(health -> {
      if (!health.usable() || closed) {
        return moveFrom(from, why, step + 1);
      }
      Pool old = pool;
      pool = open.apply(hosts.get(next));
      current = next;
      lastProblem = null;
      LOG.warn("store: {} {}; moving to {}", StoreHosts.name(hosts.get(from)), why, host());
      return old.close();
    });
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return pool.getConnection();
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return pool.query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return pool.preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return pool.preparedQuery(sql, options);
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timer);
    List<Future<Void>> all = new ArrayList<>();
    all.add(pool.close());
    all.add(probes.close());
    return Future.join(all).mapEmpty();
  }

  private static String names(List<MySQLConnectOptions> hosts) {
    return String.join(",", hosts.stream().map(StoreHosts::name).toList());
  }
}
