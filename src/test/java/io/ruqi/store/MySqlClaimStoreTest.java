package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.LockWaits;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim tests on MariaDB, and the query plans the claim protocol depends on. */
class MySqlClaimStoreTest extends ClaimStoreTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("claims");
  }

  @Override
  Dialect dialect() {
    return Dialect.MYSQL;
  }

  List<Row> explain(String sql, Tuple args) {
    List<Row> rows = new ArrayList<>();
    TestNode.await(stores.pool().preparedQuery("EXPLAIN " + sql).execute(args)).forEach(rows::add);
    return rows;
  }

  @Test
  void the_read_ahead_uses_the_next_run_time_index_not_a_scan() {
    for (int i = 0; i < 2000; i++) {
      Job far = job("far-" + i).withSchedule(T.plusSeconds(86400 + i), false, T);
      TestNode.await(stores.jobs().insert(far));
    }
    for (int i = 0; i < 5; i++) {
      TestNode.await(stores.jobs().insert(job("due-" + i)));
    }
    TestNode.await(stores.pool().query("ANALYZE TABLE ruqi_jobs").execute());
    Row plan = explain(ClaimStore.DUE, Tuple.of(SqlJobStore.seconds(T.plusSeconds(60)), 1000)).get(0);
    assertEquals("ix_ruqi_jobs_next_run_time", plan.getString("key"), plan.toJson().encode());
    assertTrue(!String.valueOf(plan.getString("Extra")).contains("filesort"), plan.toJson().encode());
    List<Job> due = TestNode.await(stores.claims().due(T.plusSeconds(60), 1000, (id, version) -> false)).jobs();
    assertEquals(5, due.size());
  }

  /**
   * With a peer, a node reads its own share of a backlog first (the slot the database computes is the one the
   * scheduler prefers by), and the peer's only in what room the limit leaves; by the index, not a scan.
   */
  @Test
  void a_read_ahead_with_a_peer_reads_its_own_share_first_and_the_peers_in_the_room_left() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add("job-" + i);
    }
    ids.addAll(List.of("作业-1", "tâche-2", "😀-3", "Job-X"));
    for (String id : ids) {
      TestNode.await(stores.jobs().insert(job(id)));
    }
    for (String id : ids) {
      long inSql = TestNode.await(stores.pool().preparedQuery("SELECT CRC32(CONVERT(id USING utf8mb4)) % 2 FROM"
          + " ruqi_jobs WHERE id = ?").execute(Tuple.of(id))).iterator().next().getLong(0);
      assertEquals(inSql, JobShare.slot(id, 2), "the slot of " + id);
    }
    JobShare mine = new JobShare(2, 1);
    List<String> own = ids.stream().filter(mine::owns).toList();
    assertTrue(own.size() > 10 && own.size() < ids.size() - 10, own.toString());

    ClaimStore.DueJobs first = TestNode.await(stores.claims().due(T.plusSeconds(60), own.size(), mine,
        (id, version) -> false));
    assertEquals(own.size(), first.rows());
    assertEquals(Set.copyOf(own), first.jobs().stream().map(Job::id).collect(Collectors.toSet()),
        "a full read of the own share only");
    ClaimStore.DueJobs room = TestNode.await(stores.claims().due(T.plusSeconds(60), own.size() + 3, mine,
        (id, version) -> false));
    assertEquals(own.size() + 3, room.rows());
    assertEquals(Set.copyOf(own), room.jobs().subList(0, own.size()).stream().map(Job::id)
        .collect(Collectors.toSet()), "the own share first");
    assertTrue(room.jobs().subList(own.size(), own.size() + 3).stream().noneMatch(j -> mine.owns(j.id())),
        "then the peer's");
    assertEquals(ids.size(), TestNode.await(stores.claims().due(T.plusSeconds(60), 1000, mine,
        (id, version) -> false)).rows(), "everything, with room");

    Row plan = explain(ClaimStore.DUE_OWN, Tuple.of(SqlJobStore.seconds(T.plusSeconds(60)), 2,
        1, 10)).get(0);
    assertEquals("ix_ruqi_jobs_next_run_time", plan.getString("key"), plan.toJson().encode());
    assertTrue(!String.valueOf(plan.getString("Extra")).contains("filesort"), plan.toJson().encode());
    Row others = explain(ClaimStore.DUE_OTHERS, Tuple.of(SqlJobStore.seconds(T.plusSeconds(60)), 2,
        1, 10)).get(0);
    assertEquals("ix_ruqi_jobs_next_run_time", others.getString("key"), others.toJson().encode());
    assertTrue(!String.valueOf(others.getString("Extra")).contains("filesort"), others.toJson().encode());
  }

  /**
   * Claims of twenty lengths (290 to 309 jobs) are statements of a few shapes (InLists pads their lists to 384):
   * MariaDB prepares the read of running rows and the update (two forms here: the first claim's jobs were all read at
   * one version) once on a connection, not at every claim. Only the insert of running rows, whose rows cannot repeat,
   * is prepared each time. Counted by the server on the one connection of a store of its own.
   */
  @Test
  void claims_of_nearby_lengths_are_prepared_once_on_a_connection() {
    int claimsMade = 20;
    int most = 290 + claimsMade - 1;
    for (int i = 0; i < most; i++) {
      TestNode.await(stores.jobs().insert(job("job-" + i)));
    }
    RuqiConfig oneConnection = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", url)
        .put("pool_size", 1)));
    Stores own = TestNode.await(StoreFactory.open(vertx, oneConnection));
    try {
      long[] versions = new long[most];
      long before = preparedSoFar(own);
      for (int k = 0; k < claimsMade; k++) {
        Instant fire = T.plusSeconds(10 + k);
        List<ClaimRequest> batch = new ArrayList<>();
        for (int i = 0; i < 290 + k; i++) {
          batch.add(new ClaimRequest("job-" + i, versions[i]++, fire.plusSeconds(1), fire, 100));
        }
        List<ClaimOutcome> outcomes = TestNode.await(own.claims().claim(batch, "a", fire));
        assertEquals(batch.size(), outcomes.stream().filter(o -> o == ClaimOutcome.RUN).count(), "claim " + k);
      }
      long prepared = preparedSoFar(own) - before;
      // the inserts, the three shapes, the pause switch's read (the first statement on the connection)
      assertTrue(prepared >= claimsMade && prepared <= claimsMade + 4, prepared + " statements prepared for "
          + claimsMade + " claims (each length its own statement: at least " + 3 * claimsMade + ")");
    } finally {
      TestNode.await(own.close());
    }
  }

  /** MariaDB's count of statements prepared on the store's connection (a pool of one). */
  private static long preparedSoFar(Stores own) {
    return TestNode.await(own.pool().query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").execute())
        .iterator().next().getString(1).transform(Long::parseLong);
  }

  /** Running rows of jobs job-0 to job-(n-1), one fire each on node a, with the table's statistics up to date. */
  private void runningRows(int n) {
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Tuple.of("job-" + i, SqlJobStore.utc(T), "a"));
    }
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node) VALUES (?, ?, ?)")
        .executeBatch(rows));
    TestNode.await(stores.pool().query("ANALYZE TABLE ruqi_running").execute());
  }

  @Test
  void releasing_running_rows_reads_them_by_the_primary_key() {
    runningRows(2000);
    Tuple args = Tuple.tuple();
    String where = FireRef.matching(Dialect.MYSQL, List.of(new FireRef("job-7", T), new FireRef("job-9", T)), args);
    Row plan = explain("DELETE FROM ruqi_running WHERE " + where, args).get(0);
    assertEquals("PRIMARY", plan.getString("key"), plan.toJson().encode());
    assertEquals("range", plan.getString("type"), plan.toJson().encode());
    TestNode.await(stores.pool().preparedQuery("DELETE FROM ruqi_running WHERE " + where).execute(args));
    long left = TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_running").execute()).iterator().next()
        .getLong(0);
    assertEquals(1998, left, "exactly the two fires named");
  }

  /**
   * A claim of a drain's batch reads 500 jobs' running rows. With the table not much larger than that, MariaDB
   * chose to scan all of it (in a pair's drain of 50,000, 13,800 rows a claim, read ahead of every batch); by the key
   * it reads only the rows asked for, whatever the table holds.
   */
  @Test
  void a_claim_of_500_jobs_reads_their_running_rows_by_the_key_even_from_a_small_table() {
    runningRows(800);
    List<Object> ids = new ArrayList<>();
    for (int i = 100; i < 600; i++) {
      ids.add("job-" + i);
    }
    List<Object> padded = InLists.padded(Dialect.MYSQL, ids); // as the store sends them: 512, the last repeated
    for (String sql : List.of(ClaimStore.runningOf(Dialect.MYSQL, padded.size()), DoneJobs.runningOf(Dialect.MYSQL,
        padded.size()))) {
      Row plan = explain(sql, Tuple.wrap(padded)).get(0);
      assertEquals("PRIMARY", plan.getString("key"), plan.toJson().encode());
      assertEquals("range", plan.getString("type"), plan.toJson().encode());
    }
  }

  @Test
  void counting_running_fires_and_history_pages_use_keys() {
    Row running = explain(ClaimStore.runningOf(Dialect.MYSQL, 2), Tuple.of("a", "b")).get(0);
    assertEquals("PRIMARY", running.getString("key"), running.toJson().encode());
    List<HistoryRecord> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Instant t = T.plusSeconds(i);
      rows.add(new HistoryRecord("job-" + (i % 100), "n", "true", RunStatus.SUCCESS, "", 0, "a", t, t, t, 1, 0,
          false));
    }
    TestNode.await(stores.history().write(rows));
    TestNode.await(stores.pool().query("ANALYZE TABLE ruqi_jobs_history").execute());
    Row history = explain("SELECT id FROM ruqi_jobs_history WHERE job_id = ? ORDER BY c_time DESC LIMIT 15",
        Tuple.of("job-7")).get(0);
    assertEquals("ix_ruqi_jobs_history_job_id", history.getString("key"), history.toJson().encode());
    assertTrue(!String.valueOf(history.getString("Extra")).contains("filesort"), history.toJson().encode());
  }

  @Test
  void the_charts_count_reads_an_hour_of_history_from_the_fire_time_index_alone() {
    List<HistoryRecord> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Instant t = T.plusSeconds(60L * i);
      rows.add(new HistoryRecord("job-" + (i % 100), "n", "true", RunStatus.SUCCESS, "", 0, "a", t, t, t, 1, 0,
          false));
    }
    TestNode.await(stores.history().write(rows));
    TestNode.await(stores.pool().query("ANALYZE TABLE ruqi_jobs_history").execute());
    Instant from = T.plusSeconds(3600);
    List<Row> plan = explain(HistoryBuckets.count(Dialect.MYSQL), Tuple.of(SqlJobStore.utc(from), 60, SqlJobStore.utc(from),
        SqlJobStore.utc(from.plusSeconds(3600))));
    Row history = plan.stream().filter(r -> "ruqi_jobs_history".equals(r.getString("table"))).findFirst()
        .orElseThrow(() -> new AssertionError(plan.toString()));
    assertEquals("ix_ruqi_jobs_history_fire_time", history.getString("key"), history.toJson().encode());
    assertEquals("range", history.getString("type"), history.toJson().encode());
    assertTrue(String.valueOf(history.getString("Extra")).contains("Using index"), "covering: "
        + history.toJson().encode());
    List<HistoryBuckets.Cell> cells = TestNode.await(stores.history().buckets(from, from.plusSeconds(3600), 60));
    assertEquals(60, cells.stream().mapToLong(HistoryBuckets.Cell::count).sum());
  }

  @Test
  void a_job_list_page_reads_the_c_time_index_backwards_without_sorting_the_table() {
    for (int i = 0; i < 2000; i++) {
      TestNode.await(stores.jobs().insert(job("listed-" + i)));
    }
    TestNode.await(stores.pool().query("ANALYZE TABLE ruqi_jobs").execute());
    List<Row> plan = explain(PageReader.pageQuery("SELECT " + SqlJobStore.COLUMNS, "ruqi_jobs",
        "ruqi_jobs" + Dialect.MYSQL.usingIndex("ix_ruqi_jobs_c_time"), "WHERE 1 = 1"),
        Tuple.of(15, 1500));
    // the page's keys first, from the index alone; then only its 15 rows, fetched by key
    assertTrue(plan.get(0).getString("table").startsWith("<derived"), plan.toString());
    Row keys = plan.stream().filter(r -> "DERIVED".equals(r.getString("select_type"))).findFirst()
        .orElseThrow(() -> new AssertionError(plan.toString()));
    assertEquals("ix_ruqi_jobs_c_time", keys.getString("key"), keys.toJson().encode());
    assertTrue(String.valueOf(keys.getString("Extra")).contains("Using index"), keys.toJson().encode());
    assertTrue(!String.valueOf(keys.getString("Extra")).contains("filesort"), keys.toJson().encode());
    Row rows = plan.stream().filter(r -> "ruqi_jobs".equals(r.getString("table"))).findFirst()
        .orElseThrow(() -> new AssertionError(plan.toString()));
    assertEquals("PRIMARY", rows.getString("key"), plan.toString());
    Page<Job> first = TestNode.await(stores.jobs().list(new JobQuery(null, null, 1, 15)));
    assertEquals(2000, first.total());
    assertEquals(15, first.items().size());
  }

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }
  /**
   * A fire of a dead node ended by a take-over removes its one-shot job only if no fire of that job runs as of when
   * the job's row is locked, not as of the take-over's read of the fire's rows: a job_run on a peer may claim a fire
   * of the job in between (DoneJobs.lockFirst).
   */
  @Test
  void a_take_over_that_ends_a_done_jobs_fire_leaves_the_job_a_peer_runs_meanwhile() {
    TestNode.await(stores.jobs().insert(new Job("once", "n", "date", T.toString(), "true", ZoneOffset.UTC, null,
        null, T, null, false, new JsonObject(), 1, T, T)));
    Instant fire = T.plusSeconds(5);
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES ('once', ?, 'dead', ?), ('other', ?, 'node-b', NULL)").execute(Tuple.of(SqlJobStore.utc(fire),
        SqlJobStore.utc(fire), SqlJobStore.utc(T))));
    HistoryRecord cut = new HistoryRecord("once", "n", "true", RunStatus.INTERRUPTED, "node dead stopped", 0, "node-a",
        T.plusSeconds(30), fire, fire, 1, null, true).removingDoneJob(true);

    // a job_run of "once" on a peer: its claim moves the job's row, then inserts the fire's running row
    SqlConnection peer = TestNode.await(stores.pool().getConnection());
    Transaction run = TestNode.await(peer.begin());
    TestNode.await(peer.query("UPDATE ruqi_jobs SET version = version + 1 WHERE id = 'once'").execute());
    Future<Boolean> ended = stores.claims().takeOvers().release(new RunningFire("once", fire, "dead", fire), cut);
    LockWaits.awaitOne(stores.pool(), "%FROM ruqi_jobs WHERE id IN (%) FOR UPDATE",
        "the take-over waits for the job's lock");
    TestNode.await(peer.preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES ('once', ?, 'node-b', ?)").execute(Tuple.of(SqlJobStore.utc(T.plusSeconds(40)),
        SqlJobStore.utc(T.plusSeconds(40)))));
    TestNode.await(run.commit());
    TestNode.await(peer.close());

    assertTrue(TestNode.await(ended), "the take-over ended the dead node's fire");
    assertEquals(1L, TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_jobs WHERE id = 'once'")
        .execute()).iterator().next().getLong(0), "the job stays while a fire of it runs");
  }
}
