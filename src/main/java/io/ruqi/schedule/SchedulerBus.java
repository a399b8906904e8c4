package io.ruqi.schedule;

import io.ruqi.store.StoreErrors;
import io.ruqi.store.StoreUnavailableException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's contract on the event bus: its addresses and the messages they carry, in one place that the
 * scheduler and its callers ({@code api}, {@code http}) both import, so neither side spells a field or a reply
 * that the other does not know. The messages stay JSON on the wire: a cluster peer of another build reads them.
 */
public final class SchedulerBus {
  /** Local request, empty body: the scheduler's status ({@code store_ok}, {@code heap_size}, ...). */
  public static final String STATUS = "ruqi.internal.scheduler.status";
  /** Local request, a {@link RunNow}: fire a job now; the reply is a {@link RunNowReply}. */
  public static final String RUN = "ruqi.internal.scheduler.run";
  /** Published to every node: read the store again now. */
  public static final String WAKEUP = "ruqi.internal.scheduler.wakeup";
  /** Published to every node: a {@link JobChanged}, a {@link JobsChanged} or a {@link DoneJobsRemoved}. */
  public static final String JOBS_CHANGED = "ruqi.internal.jobs.changed";
  /** Published to every node: a calendar was set or removed ({@code {"calendar": name}}); each reloads its copy. */
  public static final String CALENDARS_CHANGED = "ruqi.internal.calendars.changed";
  /** Between schedulers only: a node's hello and bye, for who claims which job first. */
  static final String PEERS = "ruqi.internal.scheduler.peers";

  private SchedulerBus() {
  }

  /** The request on {@link #RUN}. */
  public record RunNow(String jobId) {
    public JsonObject toJson() {
      return new JsonObject().put("job_id", jobId);
    }

    public static RunNow from(JsonObject body) {
      return new RunNow(body.getString("job_id"));
    }
  }

  /** What became of a run-now request. */
  public enum RunNowOutcome {
    /** Claimed and handed to its runner. */
    STARTED,
    /** No such job. */
    NO_JOB,
    /** The whole scheduler is paused: nothing fires. */
    PAUSED,
    /** The job already has max_instances fires running: recorded as skipped. */
    SKIPPED,
    /** The job kept changing under the claim: lost five races (or lost a lock, and nothing was written). */
    CONFLICT,
    /**
     * The store could not be reached: the run is most likely not claimed (a connection lost at its commit leaves that
     * unknown).
     */
    STORE_UNAVAILABLE;

    String wire() {
      return name().toLowerCase();
    }

    static RunNowOutcome of(String wire) {
      for (RunNowOutcome o : values()) {
        if (o.wire().equals(wire)) {
          return o;
        }
      }
      throw new IllegalStateException("no run-now outcome '" + wire + "'");
    }
  }

  /** The reply on {@link #RUN}: the fire's time and id when there was a fire to name (not for NO_JOB, PAUSED). */
  public record RunNowReply(RunNowOutcome outcome, String jobId, Instant fireTime, String fireId) {
    static RunNowReply without(RunNowOutcome outcome) {
      return new RunNowReply(outcome, null, null, null);
    }

    /**
     * The reply to a run that failed: the failures an API caller can act on by their outcome (try again, now or once
     * the store is back), any other by its message.
     */
    static JsonObject failed(Throwable cause) {
      if (cause instanceof StoreUnavailableException || StoreErrors.isUnavailable(cause)) {
        return without(RunNowOutcome.STORE_UNAVAILABLE).toJson();
      }
      if (StoreErrors.isLostRace(cause)) {
        return without(RunNowOutcome.CONFLICT).toJson();
      }
      return new JsonObject().put("error", cause.getMessage());
    }

    public JsonObject toJson() {
      return new JsonObject().put("outcome", outcome.wire()).put("job_id", jobId)
          .put("fire_time", fireTime == null ? null : fireTime.toEpochMilli()).put("fire_id", fireId);
    }

    /** @throws IllegalStateException for a reply that is no run-now reply (the scheduler failed: its message) */
    public static RunNowReply from(JsonObject body) {
      if (body.getString("outcome") == null) {
        throw new IllegalStateException("scheduler: " + body.encode());
      }
      Long fire = body.getLong("fire_time");
      return new RunNowReply(RunNowOutcome.of(body.getString("outcome")), body.getString("job_id"),
          fire == null ? null : Instant.ofEpochMilli(fire), body.getString("fire_id"));
    }
  }

  /**
   * A change of the jobs a scheduler holds: one job by id (with its next fire as stored when {@code nextKnown}, so
   * that a scheduler can drop a job beyond its window without reading it back; null when paused, done or
   * removed), every job of a name (as nodes before 2026-12-06 told a removal by name; now one notice per job), or
   * the whole scheduler's switch (no id nor name: read everything again).
   */
  public record JobChanged(String jobId, String jobName, String change, boolean nextKnown, Instant next) {
    public static JobChanged job(String jobId, String change, Instant next) {
      return new JobChanged(jobId, null, change, true, next);
    }

    public static JobChanged schedulerSwitch(boolean paused) {
      return new JobChanged(null, null, paused ? "scheduler_paused" : "scheduler_resumed", false, null);
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (jobId != null) {
        json.put("job_id", jobId);
      }
      if (jobName != null) {
        json.put("job_name", jobName);
      }
      json.put("change", change);
      if (nextKnown) {
        json.put("next_run_time", next == null ? null : next.toEpochMilli());
      }
      return json;
    }

    public static JobChanged from(JsonObject body) {
      Long next = body.getLong("next_run_time");
      return new JobChanged(body.getString("job_id"), body.getString("job_name"), body.getString("change"),
          body.containsKey("next_run_time"), next == null ? null : Instant.ofEpochMilli(next));
    }
  }

  /**
   * Changes the API made in one turn of its event loop (the adds that one multi-row INSERT answered), in one
   * notice of up to {@link #MOST}: one notice per change cost a message over the cluster's TLS to every peer for each
   * job_add. A node of an older build reads it as a change of no job and reads the store again, which takes nothing
   * out of its heap: so a change that leaves a job no next fire (removed, paused, done) is never in one.
   */
  public record JobsChanged(List<JobChanged> changes) {
    /** Changes per notice: each is under 300 bytes of JSON. */
    public static final int MOST = 500;

    public JsonObject toJson() {
      JsonArray each = new JsonArray();
      changes.forEach(change -> each.add(change.toJson()));
      return new JsonObject().put("change", "jobs").put("changes", each);
    }

    public static boolean isOne(JsonObject body) {
      return body.getValue("changes") instanceof JsonArray;
    }

    public static JobsChanged from(JsonObject body) {
      List<JobChanged> changes = new ArrayList<>();
      for (Object change : body.getJsonArray("changes")) {
        if (change instanceof JsonObject json && json.getString("job_id") != null) {
          changes.add(JobChanged.from(json));
        }
      }
      return new JobsChanged(changes);
    }
  }

  /**
   * Jobs the scheduler removed once their last fire was recorded, in one notice per removal (up to {@link #MOST}
   * ids): one notice per job cost a message over the cluster's TLS to every peer for each fire of a one-shot. A node
   * of an older build reads it as a change of no job and reads the store again.
   */
  public record DoneJobsRemoved(List<String> jobIds) {
    /** Ids per notice: a notice is a few kilobytes, at most about 100 KB (ids are at most 191 characters). */
    public static final int MOST = 500;

    public JsonObject toJson() {
      return new JsonObject().put("change", "removed").put("job_ids", new JsonArray(jobIds));
    }

    public static boolean isOne(JsonObject body) {
      return body.getValue("job_ids") instanceof JsonArray;
    }

    public static DoneJobsRemoved from(JsonObject body) {
      List<String> ids = new ArrayList<>();
      for (Object id : body.getJsonArray("job_ids")) {
        if (id instanceof String s) {
          ids.add(s);
        }
      }
      return new DoneJobsRemoved(ids);
    }
  }
}
