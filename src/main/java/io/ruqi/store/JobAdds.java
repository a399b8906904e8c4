package io.ruqi.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Group commit of new jobs. An add that arrives while as many writes are under way as the store runs at once
 * ({@link #MAX_IN_FLIGHT} on MariaDB with enough connections, one on the embedded store) waits, and the adds waiting
 * go together in the next write: one transaction with one multi-row INSERT of the jobs and one of their audit rows.
 * Sixteen clients adding at once then cost the store a few round trips and one durable commit per batch instead of
 * four round trips each (BEGIN, the job, its audit row, COMMIT). An add that finds a write free goes alone, at once.
 *
 * <p>Each add still gets its own answer as if it had come alone: a batch that fails (a job id taken, two adds of one
 * id, a lost race on Galera) wrote nothing, being one transaction, and is written again in halves until each add
 * that fails has failed alone and is answered by its own result. A batch that did not reach the store (or whose
 * answer was lost on the way back, when it may have been written) is not written again: each of its adds is answered
 * with that failure, as it would have been alone.
 */
final class JobAdds<T> {
  /**
   * Writes at once at most (fewer when the store has fewer connections): more than one, so that an add need not wait
   * for a batch's commit when the store has room.
   */
  static final int MAX_IN_FLIGHT = 4;
  /**
   * Rows per statement: 64 jobs are 960 parameters, far below 65,535. Each size is a statement text that a MySQL
   * connection prepares once and keeps (those under 2,048 characters: about 40 sizes of the jobs' INSERT, 80 of the
   * audit rows'), as the claims' batches do; cutting batches to powers of two to keep fewer cost a third of the
   * throughput (2,112-2,598 against 3,333 jobs/s on MariaDB, back to back), since the adds left over wait a write.
   */
  static final int MAX_BATCH = 64;
  /** And at most about this many bytes of commands and options, whatever the body limit lets one job hold. */
  static final int MAX_BATCH_BYTES = 1 << 20;

  /** An add waiting for its write; answered on the context it came from. */
  record Pending<T>(T add, Context context, Promise<Void> promise) {
  }

  /** Adds waiting at most, as the store's pool lets at most that many statements wait for a connection. */
  static final int MAX_WAITING = 10_000;

  private final Function<List<T>, Future<Void>> writeAll;
  private final Function<T, Future<Void>> writeOne;
  private final Predicate<Throwable> unreached;
  private final ToIntFunction<T> bytes;
  private final int maxInFlight;
  private final Deque<Pending<T>> waiting = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param writeAll writes every add of a list in one transaction (two or more), or nothing
   * @param writeOne writes one add in its transaction; its failure is that add's answer
   * @param unreached whether a failure says the store was not reached (or its answer lost): then the batch's adds
   *                  are each answered with it, as each would have been alone, and nothing is written again
   * @param bytes about how large an add's rows are
   */
  JobAdds(Function<List<T>, Future<Void>> writeAll, Function<T, Future<Void>> writeOne,
          Predicate<Throwable> unreached, ToIntFunction<T> bytes) {
    this(writeAll, writeOne, unreached, bytes, MAX_IN_FLIGHT);
  }

  /** @param maxInFlight writes at once: no more than the store runs at once (its connections) */
  JobAdds(Function<List<T>, Future<Void>> writeAll, Function<T, Future<Void>> writeOne,
          Predicate<Throwable> unreached, ToIntFunction<T> bytes, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("at least one write at once, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.writeAll = writeAll;
    this.writeOne = writeOne;
    this.unreached = unreached;
    this.bytes = bytes;
  }

  Future<Void> add(T add) {
    Promise<Void> promise = Promise.promise();
    synchronized (this) {
      if (waiting.size() >= MAX_WAITING) {
        return Future.failedFuture(new StoreUnavailableException(new IllegalStateException(
            MAX_WAITING + " job adds are waiting for the store already")));
      }
      waiting.add(new Pending<>(add, Vertx.currentContext(), promise));
      if (inFlight < maxInFlight) {
        writeNext();
      }
    }
    return promise.future();
  }

  /** Called holding the lock, with adds waiting. */
  private void writeNext() {
    List<Pending<T>> batch = new ArrayList<>();
    long total = 0;
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
      total += bytes.applyAsInt(waiting.peek().add());
      if (!batch.isEmpty() && total > MAX_BATCH_BYTES) {
        break;
      }
      batch.add(waiting.poll());
    }
    inFlight++;
    write(batch).onComplete(ar -> {
      synchronized (this) {
        inFlight--;
        if (!waiting.isEmpty()) {
          writeNext();
        }
      }
    });
  }

  private Future<Void> answerAll(List<Pending<T>> batch, AsyncResult<Void> written) {
    Future<Void> result = written.succeeded() ? Future.succeededFuture() : Future.failedFuture(written.cause());
    batch.forEach(p -> answer(p, result));
    return Future.succeededFuture();
  }

  /**
   * A batch wrote nothing: its halves are written again, each as a batch, and a half that fails is split in turn, down
   * to single adds, whose own failure is their answer. In order, so that of two adds of one id the first wins; one id
   * taken in a batch of 64 costs about 12 writes, not 64.
   */
  private Future<Void> split(List<Pending<T>> batch) {
    int half = batch.size() / 2;
    return write(batch.subList(0, half)).transform(ignored -> write(batch.subList(half, batch.size())));
  }

  private Future<Void> write(List<Pending<T>> batch) {
    return batch.size() == 1 ? answer(batch.get(0), attempt(() -> writeOne.apply(batch.get(0).add())))
        : attempt(() -> writeAll.apply(batch.stream().map(Pending::add).toList()))
            .transform(ar -> ar.succeeded() ? answerAll(batch, ar)
                : unreached.test(ar.cause()) ? answerAll(batch, ar) : split(batch));
  }

  /** A write that throws instead of failing its future fails it all the same: its adds are answered, its slot freed. */
  private static Future<Void> attempt(Supplier<Future<Void>> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Completes the add's promise on its caller's context with the write's result; done when the write is. */
  private Future<Void> answer(Pending<T> p, Future<Void> written) {
    return written.transform(ar -> {
      Runnable settle = () -> {
        if (ar.succeeded()) {
          p.promise().complete();
        } else {
          p.promise().fail(ar.cause());
        }
      };
      if (p.context() != null) {
        p.context().runOnContext(v -> settle.run());
      } else {
        settle.run();
      }
      return Future.succeededFuture();
    });
  }
}
