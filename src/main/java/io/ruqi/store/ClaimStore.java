package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The claim protocol. A batch of claims is one transaction: each claim is a conditional update of the job row by
 * the version the node read (so of two nodes, or a node and an edit, exactly one wins), and each fire won is
 * inserted into ruqi_running, whose primary key (job_id, fire_time) fences the fire against a second run.
 * There is no global lock row: claims on different jobs never wait for each other.
 */
public final class ClaimStore {
  /** The read-ahead: due jobs, from the next_run_time index (MySqlClaimStoreTest EXPLAINs it). */
  static final String DUE = "SELECT " + SqlJobStore.COLUMNS + " FROM ruqi_jobs"
      + " WHERE next_run_time <= ? ORDER BY next_run_time LIMIT ?";
  /**
   * The due jobs of one share ({@code = ?}) or of the others ({@code <> ?}): {@link JobShare#slot} in SQL. MySQL
   * only; in the index's order always, stopping at the limit: with most rows due (a drain) the optimizer chose a scan
   * and a sort of them all.
   */
  private static final String DUE_OF_SHARE = "SELECT " + SqlJobStore.COLUMNS + " FROM ruqi_jobs"
      + " FORCE INDEX (ix_ruqi_jobs_next_run_time) WHERE next_run_time <= ?"
      + " AND MOD(CRC32(CONVERT(id USING utf8mb4)), ?) %s ? ORDER BY next_run_time LIMIT ?";
  static final String DUE_OWN = DUE_OF_SHARE.formatted("=");
  static final String DUE_OTHERS = DUE_OF_SHARE.formatted("<>");
  private static final String RUNNING = "INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
      + " VALUES (?, ?, ?, ?)";

  private final Pool pool;
  /** Where start marks go: the store's pool, or on the embedded store a connection of their own (see Stores). */
  private final Pool marks;
  private final Dialect dialect;
  private final String tokenPrefix = Long.toHexString(new SecureRandom().nextLong()) + "-";
  private final AtomicLong tokens = new AtomicLong();
  private final NodeLeases leases;
  private final TakeOverStore takeOvers;

  public ClaimStore(Pool pool, Dialect dialect) {
    this(pool, pool, dialect, new DoneJobs(), new ChainStarts());
  }

  ClaimStore(Pool pool, Pool marks, Dialect dialect, DoneJobs doneJobs, ChainStarts chains) {
    this.pool = pool;
    this.marks = marks;
    this.dialect = dialect;
    this.leases = new NodeLeases(pool, dialect);
    this.takeOvers = new TakeOverStore(pool, dialect, leases, doneJobs, chains);
  }

  /** The nodes' leases: whose claims still stand. */
  public NodeLeases leases() {
    return leases;
  }

  /** What becomes of the fires of a node that stopped. */
  public TakeOverStore takeOvers() {
    return takeOvers;
  }

  /**
   * Jobs whose next fire is at or before {@code horizon}, earliest first: what the scheduler reads ahead. Rows that
   * {@code known} (job id, version) says the caller holds already are counted but not built: a read-ahead sees each
   * fire of its window several times, and building a job (its options are JSON) on the scheduler's event loop for
   * every row of every read delayed the fires it was about to start.
   */
  public Future<DueJobs> due(Instant horizon, int limit, BiPredicate<String, Long> known) {
    return due(horizon, limit, JobShare.ALL, known);
  }

  /**
   * As above for a node with peers: its own share first, the others' only in what room the limit leaves. Read in
   * one, the due jobs of a backlog (a drain) came in the same order to every node, so that once the peer's share was
   * overdue (a second) each node claimed the other's fires as eagerly as its own, and half the claims lost. The
   * others' are read earliest first (a dead peer's overdue fires before its later ones: read latest first, to claim
   * a backlog from the other end, they were read last). The embedded store has no peers (nor MySQL's CRC32): it
   * reads all at once.
   */
  public Future<DueJobs> due(Instant horizon, int limit, JobShare share, BiPredicate<String, Long> known) {
    double until = SqlJobStore.seconds(horizon);
    if (share.nodes() == 1 || dialect != Dialect.MYSQL) {
      return pool.preparedQuery(DUE).execute(Tuple.of(until, limit)).map(rows -> DueJobs.of(rows, known, limit));
    }
    return pool.preparedQuery(DUE_OWN)
        .execute(Tuple.of(until, share.nodes(), share.index(), limit))
        .map(rows -> DueJobs.of(rows, known, limit))
        .compose(own -> own.rows() == limit ? Future.succeededFuture(own)
            : pool.preparedQuery(DUE_OTHERS)
                .execute(Tuple.of(until, share.nodes(), share.index(), limit - own.rows()))
                .map(rows -> own.and(DueJobs.of(rows, known, limit - own.rows()))));
  }

  /**
   * The version of each of {@code jobIds} as the store has it now (a removed job is absent): a plain read, which
   * locks nothing. A claim made at another version loses; asked before claiming a peer's fires, which the peer has
   * most often claimed meanwhile, it spares the claim that would lock their rows and lose.
   */
  public Future<Map<String, Long>> versions(List<String> jobIds) {
    if (jobIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Object> ids = InLists.padded(dialect, new ArrayList<Object>(jobIds));
    return pool.preparedQuery(InLists.shape(dialect, ids.size(), "SELECT id, version FROM ruqi_jobs WHERE id IN ("
            + InLists.marks(ids.size()) + ")"))
        .execute(Tuple.wrap(ids))
        .map(rows -> {
          Map<String, Long> versions = new HashMap<>();
          rows.forEach(row -> versions.put(row.getString(0), row.getLong(1)));
          return versions;
        });
  }

  /**
   * A read-ahead: how many rows were due (up to the limit), the jobs among them that were not known, and the next
   * fire time of the last row read when a statement stopped at its limit (null otherwise): the store may hold later
   * due rows that this read left out.
   */
  public record DueJobs(int rows, List<Job> jobs, Instant cut) {
    static DueJobs of(RowSet<Row> rows, BiPredicate<String, Long> known, int limit) {
      List<Job> jobs = new ArrayList<>();
      Double last = null;
      for (Row row : rows) {
        last = row.getDouble("next_run_time");
        if (!known.test(row.getString("id"), row.getLong("version"))) {
          jobs.add(SqlJobStore.toJob(row));
        }
      }
      return new DueJobs(rows.size(), jobs, rows.size() >= limit ? SqlJobStore.instant(last) : null);
    }

    /** This read's rows and then {@code more}, read in the room this one left. */
    DueJobs and(DueJobs more) {
      List<Job> all = new ArrayList<>(jobs);
      all.addAll(more.jobs);
      return new DueJobs(rows + more.rows, all, more.cut);
    }
  }

  /** Outcomes in the order of {@code requests}. */
  public Future<List<ClaimOutcome>> claim(List<ClaimRequest> requests, String node, Instant now) {
    return claim(requests, node, now, Set.of());
  }

  /**
   * Outcomes in the order of {@code requests}. A job at max_instances defers a fire that may still wait (the fire
   * stays due, nothing is written) and skips one that may not. While the scheduler is paused nothing is written and
   * every outcome is {@link ClaimOutcome#PAUSED}. {@code endedHere} names this node's fires
   * ({@code job_id@epoch ms}) that have ended but whose running rows are not yet removed: they do not count.
   */
  public Future<List<ClaimOutcome>> claim(List<ClaimRequest> requests, String node, Instant now,
                                          Set<FireRef> endedHere) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // a fixed order of row locks, so that two nodes claiming overlapping batches cannot deadlock
    List<ClaimRequest> sorted = requests.stream().sorted(Comparator.comparing(ClaimRequest::jobId)).toList();
    return Transactions.run(pool, dialect, conn -> SchedulerSwitch.pausedFor(conn, dialect).compose(paused -> paused
        ? Future.succeededFuture(requests.stream().map(r -> ClaimOutcome.PAUSED).toList())
        : claimRunning(conn, requests, sorted, node, now, endedHere)));
  }

  private Future<List<ClaimOutcome>> claimRunning(SqlConnection conn, List<ClaimRequest> requests,
                                                  List<ClaimRequest> sorted, String node, Instant now,
                                                  Set<FireRef> endedHere) {
    return running(conn, sorted, node, endedHere).compose(runningNow -> {
      Map<String, Integer> counts = runningNow.counts();
      Map<ClaimRequest, ClaimOutcome> outcomes = new HashMap<>();
      List<ClaimRequest> toMove = new ArrayList<>();
      for (ClaimRequest r : sorted) {
        boolean fireClaimed = r.runFire() != null && runningNow.fires().contains(new FireRef(r.jobId(), r.runFire()));
        ClaimOutcome outcome = ClaimDecision.of(r, counts.getOrDefault(r.jobId(), 0), fireClaimed, now);
        outcomes.put(r, outcome);
        if (outcome == ClaimOutcome.RUN) {
          counts.merge(r.jobId(), 1, Integer::sum);
        }
        if (outcome != ClaimOutcome.DEFERRED && outcome != ClaimOutcome.LOST) {
          toMove.add(r);
        }
      }
      return move(conn, toMove).compose(moved -> {
        List<Tuple> running = new ArrayList<>();
        for (int i = 0; i < toMove.size(); i++) {
          ClaimRequest r = toMove.get(i);
          if (!moved.get(i)) {
            outcomes.put(r, ClaimOutcome.LOST);
          } else if (outcomes.get(r) == ClaimOutcome.RUN) {
            running.add(Tuple.of(r.jobId(), SqlJobStore.utc(r.runFire()), node,
                r.startsAfter(now) ? null : SqlJobStore.utc(now)));
          }
        }
        Future<?> inserted = running.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(RUNNING + ", (?, ?, ?, ?)".repeat(running.size() - 1))
                .execute(Tuple.wrap(running.stream().flatMap(t -> java.util.stream.IntStream.range(0, t.size())
                    .mapToObj(t::getValue)).toList()));
        return inserted.map(v -> requests.stream().map(outcomes::get).toList());
      });
    });
  }

  /** The running rows of {@code jobs} jobs, by the primary key (MySqlClaimStoreTest EXPLAINs it). */
  static String runningOf(Dialect dialect, int jobs) {
    return InLists.shape(dialect, jobs, "SELECT job_id, fire_time, node FROM ruqi_running"
        + dialect.usingIndex("PRIMARY") + " WHERE job_id IN (" + InLists.marks(jobs) + ")");
  }

  /** The fires in ruqi_running, and how many run per job: without those this node has ended already. */
  private record Running(Map<String, Integer> counts, Set<FireRef> fires) {
  }

  private Future<Running> running(SqlConnection conn, List<ClaimRequest> requests, String node,
                                  Set<FireRef> endedHere) {
    List<Object> ids = requests.stream().filter(r -> r.runFire() != null).map(ClaimRequest::jobId).distinct()
        .collect(Collectors.toList());
    if (ids.isEmpty()) {
      return Future.succeededFuture(new Running(new HashMap<>(), Set.of()));
    }
    List<Object> padded = InLists.padded(dialect, ids);
    return conn.preparedQuery(runningOf(dialect, padded.size()))
        .execute(Tuple.wrap(padded))
        .map(rows -> {
          Map<String, Integer> counts = new HashMap<>();
          Set<FireRef> fires = new HashSet<>();
          for (Row row : rows) {
            FireRef fire = new FireRef(row.getString(0), SqlJobStore.utcInstant(row.getLocalDateTime(1)));
            fires.add(fire); // ended or not, its row is there: claimed again, its insert would fail
            if (!(node.equals(row.getString(2)) && endedHere.contains(fire))) {
              counts.merge(row.getString(0), 1, Integer::sum);
            }
          }
          return new Running(counts, fires);
        });
  }

  /**
   * For each request (in order), whether its conditional update hit the row. One statement moves the whole batch
   * (a CASE gives each job its next time, or one value all that share it; the WHERE keeps only the rows still at
   * the version read), so a batch costs the database one round trip, not one per fire. When the update hit fewer
   * rows than asked, the rows won are told by a token unique to this batch, stamped on them and read back.
   */
  private Future<List<Boolean>> move(SqlConnection conn, List<ClaimRequest> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String token = tokenPrefix + tokens.incrementAndGet();
    List<ClaimRequest> padded = InLists.padded(dialect, requests);
    StringBuilder sql = new StringBuilder("UPDATE ruqi_jobs SET next_run_time = ");
    List<Object> args = new ArrayList<>();
    Instant next = requests.get(0).nextRunTime();
    if (requests.stream().allMatch(r -> Objects.equals(r.nextRunTime(), next))) {
      // one-shots (all NULL), or jobs of one rule: MariaDB tries a CASE's WHENs one by one for every row (in a drain
      // of 50,000 one-shots, 7 % of its time went to this statement's two; 2 ms each in a claim of 500)
      sql.append("?");
      args.add(SqlJobStore.seconds(next));
    } else {
      sql.append("CASE id");
      for (ClaimRequest r : padded) { // a WHEN repeated gives the same value: the first that matches decides
        sql.append(" WHEN ? THEN ?");
        args.add(r.jobId());
        args.add(SqlJobStore.seconds(r.nextRunTime()));
      }
      sql.append(" END");
    }
    sql.append(", version = version + 1, u_time = ?, claim_token = ?");
    args.add(LocalDateTime.now(ZoneOffset.UTC));
    args.add(token);
    // an IN list on the key, then each row's own version: both databases read the rows by primary key (H2 scans
    // the whole table for OR-ed (id, version) pairs, which made the embedded drain slower the more jobs there were)
    String marks = InLists.marks(padded.size());
    sql.append(" WHERE id IN (").append(marks).append(") AND version = ");
    padded.forEach(r -> args.add(r.jobId()));
    long version = requests.get(0).expectedVersion();
    if (requests.stream().allMatch(r -> r.expectedVersion() == version)) {
      sql.append("?"); // jobs added together and claimed together since, as a drain's
      args.add(version);
    } else {
      sql.append("CASE id");
      for (ClaimRequest r : padded) {
        sql.append(" WHEN ? THEN ?");
        args.add(r.jobId());
        args.add(r.expectedVersion());
      }
      sql.append(" END");
    }
    List<Object> readBack = new ArrayList<>();
    padded.forEach(r -> readBack.add(r.jobId()));
    readBack.add(token);
    String update = InLists.shape(dialect, padded.size(), sql.toString());
    return conn.preparedQuery(update).execute(Tuple.wrap(args)).compose(updated -> {
      // every job's row changes its version when its update hits, and a batch that names a job twice counts it once:
      // a count of all the requests is all won, whatever a driver counts (found rows or changed ones)
      if (updated.rowCount() == requests.size()) {
        return Future.succeededFuture(requests.stream().map(r -> true).toList());
      }
      return conn.preparedQuery(InLists.shape(dialect, padded.size(), "SELECT id FROM ruqi_jobs WHERE id IN (" + marks
              + ") AND claim_token = ?")).execute(Tuple.wrap(readBack))
          .map(rows -> {
            Set<String> won = new HashSet<>();
            rows.forEach(row -> won.add(row.getString(0)));
            return requests.stream().map(r -> won.contains(r.jobId())).toList();
          });
    });
  }

  /**
   * Marks fires this node claimed ahead as started, just before they start; answers those marked. A fire not
   * marked is no longer this node's to run: a peer took it over after this node's lease ran out.
   */
  public Future<Set<FireRef>> markStarted(String node, List<FireRef> fires, Instant now) {
    if (fires.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Tuple args = Tuple.of(SqlJobStore.utc(now), node);
    String sql = InLists.shape(dialect, fires.size(), "UPDATE ruqi_running SET start_time = ? WHERE node = ? AND"
        + " start_time IS NULL AND " + FireRef.matching(dialect, fires, args));
    return marks.preparedQuery(sql).execute(args).compose(rows -> {
      // start_time goes from NULL to a time, so both drivers count the same rows: all marked is the common answer
      if (rows.rowCount() == fires.size()) {
        return Future.succeededFuture(Set.copyOf(fires));
      }
      // these fires were never started but by this mark; one found started here was marked by it, or by an earlier
      // try whose answer was lost on the way back
      Tuple readBack = Tuple.of(node);
      String read = InLists.shape(dialect, fires.size(), "SELECT job_id, fire_time FROM ruqi_running WHERE node = ?"
          + " AND start_time IS NOT NULL AND " + FireRef.matching(dialect, fires, readBack));
      return marks.preparedQuery(read).execute(readBack).map(marked -> {
        Set<FireRef> out = new HashSet<>();
        marked.forEach(r -> out.add(new FireRef(r.getString(0), SqlJobStore.utcInstant(r.getLocalDateTime(1)))));
        return out;
      });
    });
  }
}
