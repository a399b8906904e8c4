package io.ruqi.exec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drains a process's merged stdout+stderr on its own thread while the process runs, so a chatty command never stalls
 * on a full pipe, and so the run's worker can stop waiting for end-of-output: a blocked {@code read()} cannot be
 * interrupted, and a process that escaped the group may hold the pipe open for ever. Such a pump is abandoned (its
 * thread is free again when the pipe finally closes); the worker thread and its pool slot are not held.
 *
 * <p>The threads are kept for reuse (an unbounded pool of daemon threads, idle ones ending after a minute): with 16
 * runs at once, starting a new thread per run left a node's process workers mostly in {@code Thread.start}.
 */
final class OutputPump implements Runnable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService THREAD_POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "ruqi-process-output-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private final InputStream in;
  private final HeadTailCapture capture;
  /** Null when nobody watches the run live. */
  private final OutputLines lines;
  private final CountDownLatch drained = new CountDownLatch(1);

  private OutputPump(InputStream in, HeadTailCapture capture, OutputLines lines) {
    this.in = in;
    this.capture = capture;
    this.lines = lines;
  }

  static OutputPump start(InputStream in, HeadTailCapture capture, OutputLines lines) {
    OutputPump pump = new OutputPump(in, capture, lines);
    THREAD_POOL.execute(pump);
    return pump;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        capture.write(buffer, 0, n);
        if (lines != null) {
          lines.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the stream was closed under us; what was read is kept
    } finally {
      if (lines != null) {
        lines.end();
      }
      drained.countDown();
    }
  }

  /** Waits up to {@code limit} for end-of-output; true when the output has been read to the end. */
  boolean awaitEnd(Duration limit) throws InterruptedException {
    return drained.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }
}
