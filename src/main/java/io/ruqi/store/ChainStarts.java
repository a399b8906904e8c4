package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Job chains: the fires that a fire's end starts (its job's {@code on_success} or {@code on_failure}), claimed in
 * the transaction that writes that end. The parent's running row is removed there, and only if this transaction
 * removes it (a row already written, whose answer was lost, or a fire a peer took over, starts nothing twice) is
 * each child's fire inserted into ruqi_running, claimed by the parent's node and not started, naming its parent:
 * the parent's end and its children's claims are durable together or not at all. The node then starts them as it
 * starts any fire claimed ahead; should it die first, a peer's take-over finds them like any unstarted fire of a
 * dead node. A child that cannot be claimed (removed, paused, the scheduler paused, at max_instances) gets a
 * {@code skipped} row that names its parent instead, in the same transaction.
 *
 * <p>A claim of a child bumps the child job's version, as any claim does, so that a claim of its own schedule racing
 * this one (which counted the running fires before this commit) loses and counts again: max_instances holds.
 */
public final class ChainStarts {
  /** The jobs one fire may start, per branch: the API refuses more. */
  public static final int MAX_CHILDREN = 32;
  /** How many chained fires deep a chain may go. */
  public static final int MAX_DEPTH = 32;
  /** How far past the parent's end a child's fire time may move to find a free millisecond. */
  private static final Duration FREE_TIME_WINDOW = Duration.ofSeconds(1);

  /** What a chain needs of the scheduler, which alone knows a job's policies and its schedule. */
  public interface Policy {
    int maxInstances(Job job);

    /** {@code at}, or a later millisecond that is none of the job's scheduled fire times (their fire ids differ). */
    Instant offSchedule(Job job, Instant at);
  }

  /** A child's fire, claimed for the parent's node and not started yet. */
  public record Started(Job job, Instant fireTime, String parentFireId) {
    public FireRef ref() {
      return new FireRef(job.id(), fireTime);
    }
  }

  /** A child that was not started: its row (skipped) is written; {@code job} is null when the job is gone. */
  public record NotStarted(Job job, HistoryRecord row) {
  }

  /** What one history write started. */
  public record Chained(List<Started> started, List<NotStarted> notStarted) {
    boolean isEmpty() {
      return started.isEmpty() && notStarted.isEmpty();
    }
  }

  private static final Policy DEFAULTS = new Policy() {
    @Override
    public int maxInstances(Job job) {
      return job.options().getInteger("max_instances", 1);
    }

    @Override
    public Instant offSchedule(Job job, Instant at) {
      return at;
    }
  };

  private volatile Policy policy = DEFAULTS;
  private volatile Consumer<Chained> listener = c -> { };

  /** Set by the scheduler, which knows each job's max_instances and schedule. */
  public void policy(Policy policy) {
    this.policy = policy;
  }

  /** Called with what a history write started, after its transaction committed (on the store caller's context). */
  public void onChained(Consumer<Chained> listener) {
    this.listener = listener;
  }

  void announce(Chained chained) {
    if (!chained.isEmpty()) {
      listener.accept(chained);
    }
  }

  /** Whether the row ends its fire and names jobs to start: its running row is removed here, not in the batch. */
  static boolean chains(HistoryRecord r) {
    return r.endsTheFire() && !r.chain().isEmpty();
  }

  /**
   * Inside the caller's transaction: for each row of {@code parents} ({@link #chains}), removes the fire's running
   * row and, if that removed it, claims or skips each child; answers what was started.
   */
  Future<Chained> start(SqlConnection conn, Dialect dialect, List<HistoryRecord> parents) {
    Chained out = new Chained(new ArrayList<>(), new ArrayList<>());
    Future<Void> chain = Future.succeededFuture();
    for (HistoryRecord parent : parents) {
      chain = chain.compose(v -> release(conn, parent))
          .compose(released -> released ? children(conn, dialect, parent, out) : Future.succeededFuture());
    }
    return chain.map(out);
  }

  /**
   * The jobs of the fires that led to {@code parent} through their chains, the parent's own job first, read up the
   * {@code parent_fire_id}s of the history (by its unique key), at most {@link #MAX_DEPTH} deep. A child among them
   * would close a cycle: the API refuses one, but two edits on two nodes that each close half of it both pass its
   * check, and this stops such a loop after one round.
   */
  private static Future<Lineage> lineage(SqlConnection conn, HistoryRecord parent) {
    List<String> jobs = new ArrayList<>(List.of(parent.jobId()));
    return up(conn, parent.parentFireId(), jobs);
  }

  private static Future<Lineage> up(SqlConnection conn, String fireId, List<String> jobs) {
    if (fireId == null) {
      return Future.succeededFuture(new Lineage(jobs, false));
    }
    if (jobs.size() >= MAX_DEPTH) {
      return Future.succeededFuture(new Lineage(jobs, true));
    }
    FireRef fire;
    try {
      fire = FireRef.parse(fireId);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new Lineage(jobs, false));
    }
    jobs.add(fire.jobId());
    return conn.preparedQuery("SELECT parent_fire_id FROM ruqi_jobs_history WHERE job_id = ? AND fire_time = ?"
            + " ORDER BY attempt LIMIT 1")
        .execute(Tuple.of(fire.jobId(), SqlJobStore.utc(fire.fireTime())))
        .compose(rows -> up(conn, rows.size() == 0 ? null : rows.iterator().next().getString(0), jobs));
  }

  /** The jobs up a chain, nearest first, and whether it is deeper than {@link #MAX_DEPTH}. */
  private record Lineage(List<String> jobs, boolean tooDeep) {
    String why(String child) {
      if (tooDeep) {
        return "the chain that led here is deeper than " + MAX_DEPTH + " fires";
      }
      if (!jobs.contains(child)) {
        return null;
      }
      List<String> path = new ArrayList<>(jobs.subList(0, jobs.indexOf(child) + 1));
      java.util.Collections.reverse(path);
      return "it would close a cycle, " + String.join(" -> ", path) + " -> " + child;
    }
  }

  /**
   * Inside the caller's transaction, which has just removed the running row of {@code parent}'s fire (a take-over
   * that ends a dead node's fire): claims or skips each child into {@code out}.
   */
  Future<Void> children(SqlConnection conn, Dialect dialect, HistoryRecord parent, Chained out) {
    return lineage(conn, parent).compose(lineage -> {
      Future<Void> children = Future.succeededFuture();
      // one order of row locks for every chain, so that two chains starting the same jobs cannot deadlock
      for (String child : parent.chain().stream().distinct().sorted().toList()) {
        children = children.compose(v -> child(conn, dialect, parent, child, lineage.why(child), out));
      }
      return children;
    });
  }

  /** An empty result, to be filled by {@link #children}. */
  static Chained none() {
    return new Chained(new ArrayList<>(), new ArrayList<>());
  }

  private static Future<Boolean> release(SqlConnection conn, HistoryRecord parent) {
    return conn.preparedQuery("DELETE FROM ruqi_running WHERE job_id = ? AND fire_time = ?")
        .execute(Tuple.of(parent.jobId(), SqlJobStore.utc(parent.fireTime())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** @param refused why the chain must not start this child (a cycle), or null */
  private Future<Void> child(SqlConnection conn, Dialect dialect, HistoryRecord parent, String childId,
                             String refused, Chained out) {
    String parentId = new FireRef(parent.jobId(), parent.fireTime()).id();
    Instant at = Instant.ofEpochMilli(parent.created().toEpochMilli());
    Tuple id = Tuple.of(childId);
    return conn.preparedQuery("UPDATE ruqi_jobs SET version = version + 1 WHERE id = ?").execute(id)
        .compose(v -> conn.preparedQuery("SELECT " + SqlJobStore.COLUMNS + " FROM ruqi_jobs WHERE id = ?")
            .execute(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return skip(conn, dialect, out, null, HistoryRecord.endedWithoutRun(childId, null, at,
                RunStatus.SKIPPED, "not run: chained from " + parentId + ", but job " + childId
                    + " no longer exists", null, 1, parent.node(), parent.created(), false).withParent(parentId));
          }
          Job job = SqlJobStore.toJob(rows.iterator().next());
          return SchedulerSwitch.pausedFor(conn, dialect)
              .compose(paused -> takenTimes(conn, dialect, job, at).compose(taken -> {
                Instant fire = freeTime(job, at, taken.all());
                String why = refused != null ? refused : paused ? "the scheduler is paused"
                    : job.paused() ? "the job is paused"
                    : taken.running() >= policy.maxInstances(job) ? "the job already has max_instances ("
                    + policy.maxInstances(job) + ") fires running" : null;
                if (why != null) {
                  return skip(conn, dialect, out, job, HistoryRecord.notRun(job, fire, RunStatus.SKIPPED,
                      "not run: chained from " + parentId + ", but " + why, parent.node(), parent.created())
                      .withParent(parentId));
                }
                return conn.preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time,"
                        + " parent_fire_id) VALUES (?, ?, ?, NULL, ?)")
                    .execute(Tuple.of(job.id(), SqlJobStore.utc(fire), parent.node(), parentId))
                    .map(v -> {
                      out.started().add(new Started(job, fire, parentId));
                      return null;
                    });
              }));
        });
  }

  private static Future<Void> skip(SqlConnection conn, Dialect dialect, Chained out, Job job, HistoryRecord row) {
    out.notStarted().add(new NotStarted(job, row));
    return HistoryStore.insert(conn, dialect, List.of(row));
  }

  /**
   * The child's running fires, on MySQL read under lock (counted as of now, not as of the transaction's snapshot).
   * On H2 a plain read sees every commit already (READ COMMITTED), and only the store's main connection, which runs
   * this, adds or removes running rows; a lock would only make the start marks, on their own connection, wait for
   * this transaction (or deadlock with it: a mark locks its rows in key order, a history write its children in the
   * order of their parents).
   */
  private record Taken(int running, Set<Instant> all) {
  }

  private static Future<Taken> takenTimes(SqlConnection conn, Dialect dialect, Job job, Instant at) {
    return conn.preparedQuery("SELECT fire_time FROM ruqi_running WHERE job_id = ?"
            + (dialect == Dialect.MYSQL ? dialect.forUpdate() : ""))
        .execute(Tuple.of(job.id()))
        .compose(running -> conn.preparedQuery("SELECT fire_time FROM ruqi_jobs_history WHERE job_id = ?"
                + " AND fire_time >= ? AND fire_time < ?")
            .execute(Tuple.of(job.id(), SqlJobStore.utc(at), SqlJobStore.utc(at.plus(FREE_TIME_WINDOW))))
            .map(history -> {
              Set<Instant> all = new HashSet<>();
              for (Row r : running) {
                all.add(SqlJobStore.utcInstant(r.getLocalDateTime(0)));
              }
              for (Row r : history) {
                all.add(SqlJobStore.utcInstant(r.getLocalDateTime(0)));
              }
              return new Taken(running.size(), all);
            }));
  }

  /**
   * The first millisecond from {@code at} that is none of the job's scheduled fires and no fire of its already
   * there: a fire's id is its job and time, so two fires of one time would share an id (and one history row).
   */
  private Instant freeTime(Job job, Instant at, Set<Instant> taken) {
    Instant fire = policy.offSchedule(job, at);
    while (taken.contains(fire)) {
      fire = policy.offSchedule(job, fire.plusMillis(1));
    }
    return fire;
  }
}
