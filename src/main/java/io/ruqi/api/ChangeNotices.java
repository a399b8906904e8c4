package io.ruqi.api;

import io.ruqi.schedule.SchedulerBus;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.JobsChanged;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the API's change notices to every scheduler, those of one turn of the event loop together: the adds that
 * one multi-row INSERT answered leave as one {@link JobsChanged} instead of one message over the cluster's TLS each.
 * A change that leaves a job with no next fire (removed, paused, done) leaves alone, as the {@link JobChanged} it
 * always was: a node of an older build reads a {@link JobsChanged} as a reason to read the store again, and a read
 * takes nothing out of its heap. Notices keep their order.
 */
final class ChangeNotices {
  private final Vertx vertx;
  private final List<JobChanged> pending = new ArrayList<>();
  private boolean flushQueued;

  ChangeNotices(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Published once the caller's turn ends (callers may be on any thread: a migration's, an event loop's). */
  void publish(JobChanged change) {
    synchronized (this) {
      pending.add(change);
      if (flushQueued) {
        return;
      }
      flushQueued = true;
    }
    try {
      vertx.runOnContext(v -> flush());
    } catch (RuntimeException closed) {
      flush(); // no event loop left to run it later (Vert.x closing): now, rather than never
    }
  }

  /** One flush at a time publishes, until nothing is pending: a second thread's notices wait their turn. */
  private synchronized void flush() {
    while (!pending.isEmpty()) {
      List<JobChanged> out = new ArrayList<>(pending);
      pending.clear();
      List<JobChanged> batch = new ArrayList<>();
      for (JobChanged change : out) {
        if (change.next() == null) {
          send(batch);
          batch.clear();
          vertx.eventBus().publish(SchedulerBus.JOBS_CHANGED, change.toJson());
        } else {
          batch.add(change);
          if (batch.size() == JobsChanged.MOST) {
            send(batch);
            batch.clear();
          }
        }
      }
      send(batch);
    }
    flushQueued = false;
  }

  private void send(List<JobChanged> batch) {
    if (!batch.isEmpty()) {
      vertx.eventBus().publish(SchedulerBus.JOBS_CHANGED,
          batch.size() == 1 ? batch.get(0).toJson() : new JobsChanged(List.copyOf(batch)).toJson());
    }
  }
}
