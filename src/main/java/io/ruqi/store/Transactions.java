package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.Function;

/**
 * {@link Pool#withTransaction}, with the embedded store's connection put back in autocommit mode afterwards.
 * vertx-jdbc-client 5.0.10 leaves a pooled connection in manual commit after a transaction
 * (vert-x3/vertx-jdbc-client#356, fixed in a later release than the one that resolves here): every statement after
 * it then joined an implicit transaction that only the next claim committed, so a job_add was answered OK before it
 * was durable, and invisible to any other connection.
 */
final class Transactions {

  private Transactions() {
  }

  static <T> Future<T> run(Pool pool, Dialect dialect, Function<SqlConnection, Future<T>> work) {
    if (dialect == Dialect.MYSQL) {
      return pool.withTransaction(work);
    }
    if (dialect == Dialect.SQLITE) {
      // a failed COMMIT may leave the transaction open: the ROLLBACK after any failure ends it ("no transaction is
      // active" when SQLite ended it itself)
      return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
          .compose(begun -> work.apply(conn))
          .compose(result -> conn.query("COMMIT").execute().map(result))
          .recover(failure -> conn.query("ROLLBACK").execute().transform(ar -> Future.<T>failedFuture(failure))));
    }
    return pool.withConnection(conn -> conn.begin()
        .compose(tx -> work.apply(conn).compose(
            result -> tx.commit().map(result),
            failure -> tx.rollback().transform(ar -> Future.<T>failedFuture(failure))))
        .eventually(() -> conn.query("SET AUTOCOMMIT TRUE").execute()));
  }
}
