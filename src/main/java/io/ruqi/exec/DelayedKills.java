package io.ruqi.exec;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The SIGKILLs that follow a SIGTERM after the grace period, on one daemon thread. Remembered so that closing the
 * runner can wait until they have gone out — or skip those whose group already died of the TERM — instead of the JVM
 * exiting with a TERM-ignoring process still alive.
 */
final class DelayedKills {
  private static final Duration POLL = Duration.ofMillis(50);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ruqi-process-killer");
    t.setDaemon(true);
    return t;
  });
  private final Map<ProcessGroup, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  void schedule(ProcessGroup group, Duration grace, Runnable kill) {
    ScheduledFuture<?> task;
    try {
      task = scheduler.schedule(() -> {
        pending.remove(group);
        kill.run();
      }, grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      kill.run(); // a run that slipped past close(): no grace left to give
      return;
    }
    pending.put(group, task);
    if (task.isDone()) {
      pending.remove(group, task); // ran before it was remembered
    }
  }

  /**
   * Blocks until every pending KILL has been sent or made pointless by its group dying, at most {@code limit}; then
   * stops the thread.
   */
  void finish(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      pending.forEach((group, task) -> {
        if (!group.hasLiveMembers() && task.cancel(false)) {
          pending.remove(group, task);
        }
      });
      if (!pending.isEmpty()) {
        Thread.sleep(POLL.toMillis());
      }
    }
    scheduler.shutdown();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
  }
}
