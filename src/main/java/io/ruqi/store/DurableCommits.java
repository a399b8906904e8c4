package io.ruqi.store;

import io.vertx.core.Future;

/**
 * Makes what was committed so far durable before a change is acknowledged. MySQL and MariaDB commit durably
 * themselves ({@code innodb_flush_log_at_trx_commit=1}); the embedded store does not (see {@link H2GroupSync}).
 */
interface DurableCommits {

  DurableCommits ALREADY = new DurableCommits() {
    @Override
    public Future<Void> afterCommit() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  };

  /** Completes once every commit that completed before this call is on disk. */
  Future<Void> afterCommit();

  Future<Void> close();
}
