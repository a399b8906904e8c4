package io.ruqi.migrate;

import java.time.Duration;
import io.ruqi.testing.TickingClock;
import io.ruqi.progress.Progress;
import io.ruqi.config.RuqiConfig;
import io.ruqi.schedule.Trigger;
import io.ruqi.schedule.Triggers;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.ImportedHistory;
import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.ApschedulerFixtures;
import io.ruqi.testing.MySqlStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Migrates real pickles: {@code make_fixtures.py} (Debian's python3-apscheduler and a stub of RuQi's job functions)
 * writes RuQi's {@code ruqi_jobs} and {@code ruqi_jobs_history} and an APScheduler {@code apscheduler_jobs} table into
 * a private MariaDB, with what APScheduler computes for each trigger; migrate brings them into a ruqi store on the same
 * server, and each job's next five fire times are compared with APScheduler's.
 */
class MigrateFromRuqiTest {
  static String sourceUrl;
  static JsonObject fixtures;
  static Map<String, JsonObject> expected;

  @BeforeAll
  static void makeFixtures() throws Exception {
    sourceUrl = MySqlStores.freshUrl("migrate_source");
    fixtures = ApschedulerFixtures.make(sourceUrl);
    expected = new HashMap<>();
    for (Object o : fixtures.getJsonArray("jobs")) {
      JsonObject job = (JsonObject) o;
      expected.put(job.getString("id"), job);
    }
  }

  static Map<String, String> env(String storeUrl) {
    return Map.of("RUQI_STORE_URL", storeUrl, "RUQI_TIMEZONE", "UTC");
  }

  static MigrationReport migrate(String storeUrl, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--from", sourceUrl, "--source-timezone", "Asia/Shanghai"));
    all.addAll(List.of(args));
    return MigrateCommand.migrate(MigrateOptions.parse(all.toArray(String[]::new), Map.of()), env(storeUrl));
  }

  static Map<String, MigrationReport.JobLine> byId(MigrationReport report) {
    Map<String, MigrationReport.JobLine> out = new HashMap<>();
    report.jobs().forEach(j -> out.put(j.id(), j));
    return out;
  }

  @Test
  void ruqi_jobs_and_history_come_over_firing_as_apscheduler_computes_and_a_second_run_changes_nothing()
      throws Exception {
    String target = MySqlStores.freshUrl("migrate_target");

    MigrationReport dry = migrate(target, "--dry-run");
    assertEquals("ruqi_jobs", dry.table());
    assertLines(dry, "ruqi_jobs", "add");
    assertEquals(new MigrationReport.History(5, 5, 0, 0), dry.history(), dry.text());
    try (Target t = Target.open(target)) {
      assertEquals(0, t.count("SELECT COUNT(*) FROM ruqi_jobs"), "a dry run writes no job");
      assertEquals(0, t.count("SELECT COUNT(*) FROM ruqi_jobs_history"), "a dry run writes no history");
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = MigrateCommand.run(new String[] {"--from", sourceUrl, "--source-timezone", "Asia/Shanghai", "--json"},
        env(target), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    Instant migrated = Instant.now();
    JsonObject printed = new JsonObject(out.toString(StandardCharsets.UTF_8));
    assertEquals(MigrateCommand.SOME_NOT_MIGRATED, exit, "jobs were reported, so the exit code says so");
    MigrationReport done = reportOf(printed);
    assertLines(done, "ruqi_jobs", "add");
    assertEquals(new MigrationReport.History(5, 5, 0, 0), done.history(), done.text());

    try (Target t = Target.open(target)) {
      assertFiresAsApscheduler(t, "ruqi_jobs", migrated);
      assertHistory(t);
      assertEquals("migrate", t.string("SELECT DISTINCT actor FROM ruqi_audit"), "audited as migrate");
    }
    assertTrue(byId(done).get("mq_message").notes().stream().anyMatch(n -> n.contains("BaiChuan")),
        "a run_mq job says how ruqi sends it");

    MigrationReport again = migrate(target);
    assertLines(again, "ruqi_jobs", "unchanged");
    assertEquals(new MigrationReport.History(5, 0, 5, 0), again.history(), again.text());
  }

  @Test
  void the_migration_says_how_far_its_jobs_and_history_are() throws Exception {
    String target = MySqlStores.freshUrl("migrate_progress");
    List<String> lines = new ArrayList<>();
    MigrationReport done = MigrateCommand.migrate(MigrateOptions.parse(new String[] {"--from", sourceUrl,
        "--source-timezone", "Asia/Shanghai"}, Map.of()), env(target), (what, unit) -> Progress.lines(what, unit, 0,
        new TickingClock(Instant.parse("2026-12-02T10:00:00Z"), Duration.ofSeconds(10)), lines::add));
    int jobs = done.jobs().size();
    List<String> jobLines = lines.stream().filter(l -> l.startsWith("migrate jobs: ")).toList();
    assertEquals(jobs + 1, jobLines.size(), "a line per job (the clock moves 10 s at each), and the last: " + lines);
    assertTrue(jobLines.get(0).startsWith("migrate jobs: 1 of " + jobs + " jobs ("), jobLines.get(0));
    assertTrue(jobLines.get(jobs - 1).startsWith("migrate jobs: " + jobs + " of " + jobs + " jobs (100%), "),
        jobLines.get(jobs - 1));
    assertTrue(jobLines.get(jobs).startsWith("migrate jobs: " + jobs + " jobs in "), jobLines.get(jobs));
    assertEquals(List.of("migrate history: 5 of 5 rows (100%), 1/s", "migrate history: 5 rows in 20 s"),
        lines.stream().filter(l -> l.startsWith("migrate history: ")).toList());
  }

  @Test
  void an_apscheduler_table_comes_over_and_other_services_functions_are_reported() throws Exception {
    String target = MySqlStores.freshUrl("migrate_aps");
    MigrationReport done = migrate(target, "--table", "apscheduler_jobs");
    Instant migrated = Instant.now();
    assertEquals("apscheduler_jobs", done.table());
    assertNull(done.history(), "APScheduler keeps no history");
    assertLines(done, "apscheduler_jobs", "add");
    try (Target t = Target.open(target)) {
      assertFiresAsApscheduler(t, "apscheduler_jobs", migrated);
      Job policies = t.job("aps_policies");
      assertEquals(JobMapper.LONGEST_GRACE_SECONDS, policies.options().getLong("misfire_grace_time"));
      assertEquals(true, policies.options().getBoolean("coalesce"));
      assertEquals(3, policies.options().getInteger("max_instances"));
      assertEquals(20, t.job("aps_jitter").options().getInteger("jitter"));
    }
    assertLines(migrate(target, "--table", "apscheduler_jobs"), "apscheduler_jobs", "unchanged");
  }

  @Test
  void into_the_embedded_store_history_keeps_its_ids_and_ruqis_next_rows_number_after_them(@TempDir Path dir)
      throws Exception {
    String target = "sqlite:" + dir.resolve("ruqi.db");
    MigrationReport done = migrate(target);
    Instant migrated = Instant.now();
    assertLines(done, "ruqi_jobs", "add");
    assertEquals(new MigrationReport.History(5, 5, 0, 0), done.history(), done.text());
    try (Target t = Target.open(target)) {
      assertFiresAsApscheduler(t, "ruqi_jobs", migrated);
      assertHistory(t);
      HistoryRecord ours = new HistoryRecord("cron_daily", "rdb", "bash scripts/backup.sh --full", RunStatus.SUCCESS,
          "", 0.1, "node-a", Instant.now(), Instant.now(), Instant.now(), 1, 0, true);
      assertEquals(1, await(new ImportedHistory(t.stores()).insert(List.of(ours), Collections.singletonList(null))));
      assertTrue(t.count("SELECT MAX(id) FROM ruqi_jobs_history") > 1000,
          "a row ruqi writes after the migration takes an id after RuQi's, not one of them");
    }
    assertEquals(new MigrationReport.History(5, 0, 5, 0), migrate(target).history());
  }

  @Test
  void a_history_id_that_ruqis_own_row_holds_is_brought_under_a_new_id_once() throws Exception {
    String target = MySqlStores.freshUrl("migrate_ids");
    try (Target t = Target.open(target)) {
      HistoryRecord ours = new HistoryRecord("ruqi_job", "ours", "echo", RunStatus.SUCCESS, "", 0.1, "node-a",
          Instant.now(), Instant.now(), Instant.now(), 1, 0, true);
      assertEquals(1, await(new ImportedHistory(t.stores()).insert(List.of(ours), List.of(17L))));
    }
    assertEquals(new MigrationReport.History(5, 5, 0, 1), migrate(target, "--dry-run").history());
    assertEquals(new MigrationReport.History(5, 5, 0, 1), migrate(target).history());
    try (Target t = Target.open(target)) {
      assertEquals("ruqi_job", t.string("SELECT job_id FROM ruqi_jobs_history WHERE id = 17"), "ruqi's row stays");
      assertEquals(1, t.count("SELECT COUNT(*) FROM ruqi_jobs_history WHERE job_id = 'cron_daily' AND id > 1000"),
          "RuQi's row 17 came under a new id");
    }
    assertEquals(new MigrationReport.History(5, 0, 5, 0), migrate(target).history(), "and only once");
  }

  /** Each fixture job of the table has its line: migrated ones with {@code action}, the others with their reason. */
  static void assertLines(MigrationReport report, String table, String action) {
    Map<String, MigrationReport.JobLine> lines = byId(report);
    for (JsonObject e : expected.values()) {
      if (!e.getString("table").equals(table)) {
        continue;
      }
      MigrationReport.JobLine line = lines.get(e.getString("id"));
      assertNotNull(line, e.getString("id") + " is in the report:\n" + report.text());
      if (e.getString("expect").equals("migrated")) {
        assertEquals(action, line.action(), e.getString("id") + ":\n" + report.text());
      } else {
        assertEquals(MigrationReport.NOT_MIGRATED, line.action(), e.getString("id") + ":\n" + report.text());
        assertTrue(line.reason().contains(e.getString("reason")), e.getString("id") + ": the reason says '"
            + e.getString("reason") + "': " + line.reason());
      }
    }
  }

  /**
   * A job's stored next run is compared with APScheduler's when that lies after the migration ended: it had not come
   * when the job was imported, so ruqi's first fire is it, however long the import took.
   */
  static void assertFiresAsApscheduler(Target t, String table, Instant migrationEnded) {
    Instant reference = micros(fixtures.getLong("reference"));
    for (JsonObject e : expected.values()) {
      if (!e.getString("table").equals(table) || !e.getString("expect").equals("migrated")) {
        continue;
      }
      String id = e.getString("id");
      Job job = t.job(id);
      assertNotNull(job, id + " was migrated");
      assertEquals(e.getBoolean("paused"), job.paused(), id + " paused");
      Trigger trigger = Triggers.of(job);
      List<Instant> ours = Triggers.nextTimes(trigger, reference, 5);
      JsonArray theirs = e.getJsonArray("fires");
      assertEquals(theirs.size(), ours.size(), id + ": fires after " + reference + ": ruqi " + ours + ", APScheduler "
          + theirs + " (rule " + job.rule() + ", zone " + job.zone() + ")");
      for (int i = 0; i < ours.size(); i++) {
        assertSameMillisecond(micros(theirs.getLong(i)), ours.get(i), id + " fire " + (i + 1) + " (rule "
            + job.rule() + ", zone " + job.zone() + "): ruqi " + ours + " APScheduler " + theirs);
      }
      Long next = e.getLong("next_run_time");
      if (e.getBoolean("paused")) {
        assertNull(job.nextRunTime(), id + " is paused: no next run");
      } else if (micros(next).isAfter(migrationEnded) && !e.getBoolean("jittered")) {
        assertSameMillisecond(micros(next), job.nextRunTime(), id + ": the next run APScheduler stored");
      }
    }
  }

  static void assertHistory(Target t) {
    for (Object o : fixtures.getJsonArray("history")) {
      JsonObject h = (JsonObject) o;
      Row row = t.row("SELECT job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost, scheduler_name, c_time,"
          + " status, attempt FROM ruqi_jobs_history WHERE id = ?", h.getLong("id"));
      assertNotNull(row, "history row " + h.getLong("id") + " keeps its id");
      assertEquals(h.getString("job_id"), row.getString("job_id"));
      assertEquals(h.getString("job_name"), row.getString("job_name"));
      assertEquals(h.getString("cmd"), row.getString("cmd"));
      assertEquals(h.getString("output"), row.getString("cmd_output"));
      assertEquals(h.getString("scheduler_name"), row.getString("scheduler_name"));
      assertEquals(h.getDouble("cost"), row.getDouble("cmd_cost"), 1e-9);
      assertEquals(h.getBoolean("success") ? "success" : "failed", row.getString("status"));
      assertEquals(micros(h.getLong("c_time")), row.getLocalDateTime("c_time").toInstant(ZoneOffset.UTC),
          "c_time, RuQi's host's wall time, as an instant");
    }
    assertEquals(2, t.count("SELECT COUNT(DISTINCT fire_time) FROM ruqi_jobs_history WHERE id IN (19, 20)"),
        "two runs recorded in the same second stay two fires");
  }

  static void assertSameMillisecond(Instant expected, Instant actual, String what) {
    assertNotNull(actual, what);
    long apart = Math.abs(expected.toEpochMilli() - actual.toEpochMilli());
    // ruqi keeps times to the millisecond; APScheduler's microseconds are truncated
    if (apart > 1) {
      fail(what + ": expected " + expected + " but was " + actual);
    }
  }

  static Instant micros(long micros) {
    return Instant.EPOCH.plusNanos(micros * 1000);
  }

  static MigrationReport reportOf(JsonObject json) {
    List<MigrationReport.JobLine> lines = new ArrayList<>();
    for (Object o : json.getJsonArray("jobs")) {
      JsonObject j = (JsonObject) o;
      List<String> notes = new ArrayList<>();
      j.getJsonArray("notes").forEach(n -> notes.add((String) n));
      lines.add(new MigrationReport.JobLine(j.getString("job_id"), j.getString("action"), j.getString("summary"),
          j.getString("reason"), notes));
    }
    JsonObject h = json.getJsonObject("history");
    return new MigrationReport(json.getString("source"), json.getString("table"), json.getString("target"),
        json.getBoolean("dry_run"), lines, h == null ? null
        : new MigrationReport.History(h.getLong("read"), h.getLong("added"), h.getLong("unchanged"),
        h.getLong("renumbered")));
  }

  /** The ruqi store migrated into, opened as ruqi opens it. */
  record Target(Vertx vertx, Stores stores) implements AutoCloseable {
    static Target open(String url) {
      Vertx vertx = Vertx.vertx();
      RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", url)));
      return new Target(vertx, await(StoreFactory.open(vertx, config)));
    }

    Job job(String id) {
      return await(stores.jobs().find(id));
    }

    Row row(String sql, Object... args) {
      var rows = await(stores.pool().preparedQuery(sql).execute(Tuple.wrap(List.of(args))));
      return rows.size() == 0 ? null : rows.iterator().next();
    }

    long count(String sql) {
      return row(sql).getLong(0);
    }

    String string(String sql) {
      return row(sql).getString(0);
    }

    @Override
    public void close() {
      await(stores.close());
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
