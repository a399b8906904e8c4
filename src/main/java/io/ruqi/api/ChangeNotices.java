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
 * A turn's lone notice leaves as the {@link JobChanged} it always was. Notices keep their order.
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
    boolean queue;
    synchronized (this) {
      pending.add(change);
      queue = !flushQueued;
      flushQueued = true;
    }
    if (queue) {
      vertx.runOnContext(v -> flush());
    }
  }

  private void flush() {
    List<JobChanged> out;
    synchronized (this) {
      out = new ArrayList<>(pending);
      pending.clear();
      flushQueued = false;
    }
    for (int from = 0; from < out.size(); from += JobsChanged.MOST) {
      List<JobChanged> chunk = out.subList(from, Math.min(out.size(), from + JobsChanged.MOST));
      vertx.eventBus().publish(SchedulerBus.JOBS_CHANGED,
          chunk.size() == 1 ? chunk.get(0).toJson() : new JobsChanged(List.copyOf(chunk)).toJson());
    }
  }
}
