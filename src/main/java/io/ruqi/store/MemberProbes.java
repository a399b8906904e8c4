package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One small pool per database host for its health checks ({@link MemberHealth}). A check that does not answer in
 * {@link #CHECK_TIMEOUT_MS} counts the member unusable and replaces its pool: the unanswered statement would hold the
 * pool's one connection until TCP gives up (minutes, when a host vanished without a reset), and every later check of
 * that member would fail meanwhile, even once it is back.
 */
final class MemberProbes {
  /** A member that does not answer its health check in this time is not usable (frozen, or its host is gone). */
  static final long CHECK_TIMEOUT_MS = 2_000;

  private final List<MySQLConnectOptions> hosts;
  private final Function<MySQLConnectOptions, Pool> factory;
  private final Pool[] pools;

  MemberProbes(List<MySQLConnectOptions> hosts, Function<MySQLConnectOptions, Pool> factory) {
    this.hosts = hosts;
    this.factory = factory;
    this.pools = hosts.stream().map(factory).toArray(Pool[]::new);
  }

  /** Host {@code i}'s health; never fails (an unreachable member is an unusable one). */
  Future<MemberHealth> check(int i) {
    Pool probe = pools[i];
    return MemberHealth.of(probe).timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> {
          if (pools[i] == probe) {
            pools[i] = factory.apply(hosts.get(i));
            probe.close();
          }
          return Future.succeededFuture(new MemberHealth(false, "unreachable (" + e.getMessage() + ")"));
        });
  }

  Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (Pool p : pools) {
      all.add(p.close());
    }
    return Future.join(all).mapEmpty();
  }
}
