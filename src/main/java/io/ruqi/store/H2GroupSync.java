package io.ruqi.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Group commit for the embedded store. An H2 commit is written to the file in the committing thread (WRITE_DELAY=0),
 * which is enough for a kill -9 (the OS keeps what was written), but H2 never forces the file to the disk, so a power
 * cut could still take an acknowledged change. So before a change is acknowledged the MVStore stores whatever a
 * commit may have left unstored and forces the file (fsync), on a worker thread of its own: the store's one
 * connection goes on meanwhile. One force covers every commit made before it started, so changes made meanwhile
 * share the next one: a caller that arrives while a force runs waits for the following force, because its commit
 * may have missed the one running.
 */
final class H2GroupSync implements DurableCommits {
  private final WorkerExecutor worker;
  /** Kept open so that the database (and the MVStore reached through it) lives as long as this store. */
  private final Connection handle;
  private final MVStore store;
  private List<Waiter> waiting = new ArrayList<>();
  private boolean forcing;

  private record Waiter(Context context, Promise<Void> promise) {
  }

  private H2GroupSync(WorkerExecutor worker, Connection handle, MVStore store) {
    this.worker = worker;
    this.handle = handle;
    this.store = store;
  }

  /** Reaches the MVStore of the file database at {@code jdbcUrl}, which the pool has opened already. */
  static Future<DurableCommits> open(Vertx vertx, String jdbcUrl) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("ruqi-store-sync", 1);
    return worker.<DurableCommits>executeBlocking(() -> {
      Connection c = org.h2.Driver.load().connect(jdbcUrl, new Properties());
      try {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return new H2GroupSync(worker, c, session.getDatabase().getStore().getMvStore());
      } catch (RuntimeException | java.sql.SQLException e) {
        c.close();
        throw e;
      }
    }, false).onFailure(e -> worker.close());
  }

  @Override
  public Future<Void> afterCommit() {
    Promise<Void> promise = Promise.promise();
    synchronized (this) {
      waiting.add(new Waiter(Vertx.currentContext(), promise));
      if (!forcing) {
        forceNext();
      }
    }
    return promise.future();
  }

  /** Called holding the lock, with waiters. */
  private void forceNext() {
    List<Waiter> batch = waiting;
    waiting = new ArrayList<>();
    forcing = true;
    worker.<Void>executeBlocking(() -> {
      store.commit();
      store.sync();
      return null;
    }, false).onComplete(ar -> {
      for (Waiter w : batch) {
        Runnable done = () -> {
          if (ar.succeeded()) {
            w.promise.complete();
          } else {
            w.promise.fail(ar.cause());
          }
        };
        // the caller goes on on its own context, not on the sync thread
        if (w.context != null) {
          w.context.runOnContext(v -> done.run());
        } else {
          done.run();
        }
      }
      synchronized (this) {
        forcing = false;
        if (!waiting.isEmpty()) {
          forceNext();
        }
      }
    });
  }

  @Override
  public Future<Void> close() {
    return worker.executeBlocking(() -> {
      handle.close();
      return null;
    }, false).eventually(worker::close).mapEmpty();
  }
}
