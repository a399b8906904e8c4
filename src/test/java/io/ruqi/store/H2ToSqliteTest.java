package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first start on {@code sqlite:<dir>/ruqi.db} finds the store an H2 default left in {@code <dir>/ruqi.mv.db}:
 * every row copied, read back through the store's own API as it was, and the H2 file kept as a backup; a copy that
 * cannot be made leaves the H2 file as it was and fails the start with a message that says what to do.
 */
class H2ToSqliteTest {
  /** Its seconds and millis are zero: the form that LocalDateTime.toString would shorten. */
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  final Vertx vertx = Vertx.vertx();
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  String h2() {
    return "h2:" + dir.resolve("ruqi");
  }

  String sqlite() {
    return "sqlite:" + dir.resolve("ruqi.db");
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  Future<Stores> opening(String url) {
    return StoreFactory.open(vertx, RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", url))));
  }

  Stores open(String url) {
    return TestNode.await(opening(url));
  }

  static Job job(String id) {
    return new Job(id, "name " + id, "interval", "10s", "echo " + id, ZoneOffset.UTC, null, null, T,
        T.plusSeconds(10), false, new JsonObject(), 0, T, T);
  }

  static HistoryRecord row(String jobId, int n) {
    return new HistoryRecord(jobId, "name " + jobId, "echo " + jobId, RunStatus.SUCCESS, "out " + n, 0.25 * n, "n1",
        T.plusSeconds(n).plusMillis(7 * n), T.plusSeconds(n), T.plusSeconds(n).plusMillis(3), 1, 0, false);
  }

  static void sql(Stores stores, String sql, Object... args) {
    TestNode.await(stores.pool().preparedQuery(sql).execute(Tuple.wrap(new ArrayList<>(List.of(args)))));
  }

  static void sql(Stores stores, String sql) {
    TestNode.await(stores.pool().query(sql).execute());
  }

  static Row first(Stores stores, String sql) {
    return TestNode.await(stores.pool().query(sql).execute()).iterator().next();
  }

  /** What the store's API reads of every table, each list in a fixed order. */
  record Snapshot(List<Job> jobs, List<HistoryRow> history, List<AuditRecord> audit, List<CalendarRecord> calendars,
                  List<RunningFire> running, boolean paused) {

    static Snapshot of(Stores stores) {
      List<Job> jobs = new ArrayList<>(TestNode.await(stores.jobs().list(new JobQuery(null, null, null, 100))).items());
      jobs.sort(Comparator.comparing(Job::id));
      List<HistoryRow> history = new ArrayList<>(TestNode.await(stores.history()
          .list(new HistoryQuery(null, null, null, null, null, 100))).items());
      history.sort(Comparator.comparingLong(HistoryRow::id));
      List<AuditRecord> audit = new ArrayList<>(TestNode.await(stores.audit().list(null, null, null, null, 100))
          .items());
      audit.sort(Comparator.comparingLong(AuditRecord::id));
      return new Snapshot(jobs, history, audit, TestNode.await(stores.calendars().list()),
          TestNode.await(stores.claims().takeOvers().runningOf("n1")), TestNode.await(stores.schedulerSwitch().paused()));
    }
  }

  static byte[] digest(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }

  @Test
  void every_row_of_the_h2_store_reads_back_equal_from_sqlite_and_the_h2_file_is_kept_as_a_backup() throws Exception {
    Stores h2 = open(h2());
    Job a = new Job("a", "name a", "interval", "10s", "echo 'a' && true", ZoneOffset.UTC, T.minusSeconds(3600),
        T.plusSeconds(30 * 86_400), T, Instant.parse("2026-11-21T04:00:10.123Z"), false,
        new JsonObject().put("timeout", 5).put("calendar", "holidays"), 4, T, Instant.parse("2026-11-21T04:05:06.789Z"));
    Job b = new Job("b", "name b", "cron", "0 3 * * *", "true", ZoneId.of("Europe/Paris"), null, null,
        Instant.parse("2026-11-20T23:59:59.999Z"), null, true, new JsonObject(), 0, T, T);
    TestNode.await(h2.jobs().insert(a));
    TestNode.await(h2.jobs().insert(b));
    List<HistoryRecord> rows = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      rows.add(row("a", n));
    }
    rows.set(1, new HistoryRecord("a", "name a", "false", RunStatus.MISSED, "late", 0, "n1", T, T.plusSeconds(2),
        null, 1, null, false));
    rows.set(2, row("a", 3).withParent("b@2026-11-21T04:00:00Z").onWorker("w1").withAttempt(2));
    TestNode.await(h2.history().write(rows));
    List<Long> ids = Snapshot.of(h2).history().stream().map(HistoryRow::id).toList();
    // gaps, and the last id given deleted: neither is given again
    sql(h2, "DELETE FROM ruqi_jobs_history WHERE id IN (?, ?)", ids.get(3), ids.get(4));
    TestNode.await(h2.audit().add(new AuditRecord(0, T.plusMillis(1), "alice", "job_add", "a", null,
        new JsonObject().put("job_id", "a"), "n1")));
    TestNode.await(h2.calendars().put("holidays", "[\"2026-12-25\",\"--01-01\"]", T,
        change -> new AuditRecord(0, T, "alice", "calendar_set", null, null, null, "n1")));
    sql(h2, "INSERT INTO ruqi_running (job_id, fire_time, node, start_time, parent_fire_id) VALUES (?, ?, ?, ?, ?)",
        "a", LocalDateTime.of(2026, 11, 21, 4, 0, 20), "n1", LocalDateTime.of(2026, 11, 21, 4, 0, 20, 5_000_000),
        "b@2026-11-21T04:00:00Z");
    sql(h2, "INSERT INTO ruqi_nodes (node, lease_until) VALUES (?, ?)", "n1", LocalDateTime.of(2026, 11, 21, 4, 1));
    TestNode.await(h2.schedulerSwitch().set(true, T));
    Snapshot before = Snapshot.of(h2);
    TestNode.await(h2.close());
    assertEquals(3, before.history().size());
    assertEquals(2, before.audit().size());

    Stores sqlite = open(sqlite());
    assertEquals(before, Snapshot.of(sqlite));
    assertEquals(a, TestNode.await(sqlite.jobs().find("a")));
    assertEquals(b, TestNode.await(sqlite.jobs().find("b")));
    assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2)),
        Snapshot.of(sqlite).history().stream().map(HistoryRow::id).toList(), "the ids are kept");
    assertTrue(TestNode.await(sqlite.schedulerSwitch().paused()));
    Row raw = first(sqlite, "SELECT CAST(c_time AS TEXT), CAST(u_time AS TEXT), typeof(paused), typeof(next_run_time)"
        + " FROM ruqi_jobs WHERE id = 'a'");
    assertEquals("2026-11-21T04:00:00.000", raw.getString(0), "a time as the SQLite store writes it, in UTC");
    assertEquals("2026-11-21T04:05:06.789", raw.getString(1));
    assertEquals("integer", raw.getString(2));
    assertEquals("real", raw.getString(3));
    assertEquals("2026-11-21T04:01:00.000", first(sqlite, "SELECT CAST(lease_until AS TEXT) FROM ruqi_nodes"
        + " WHERE node = 'n1'").getString(0));

    TestNode.await(sqlite.history().write(List.of(row("b", 9))));
    long newId = Snapshot.of(sqlite).history().stream().mapToLong(HistoryRow::id).max().orElseThrow();
    assertTrue(newId > ids.get(4), "a new row's id " + newId + " comes after every id H2 gave");
    TestNode.await(sqlite.close());

    assertFalse(Files.exists(file("ruqi.mv.db")));
    assertTrue(Files.exists(file("ruqi.mv.db.migrated")));
    assertFalse(Files.exists(file("ruqi.db.migrating")));
    assertFalse(Files.exists(file("ruqi.db.migrating.lock")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file("ruqi.db"))));
  }

  @Test
  void a_later_start_copies_nothing_again_not_even_from_an_h2_file_made_beside_the_store() throws Exception {
    Stores h2 = open(h2());
    TestNode.await(h2.jobs().insert(job("a")));
    TestNode.await(h2.close());
    TestNode.await(open(sqlite()).close());
    Path backup = file("ruqi.mv.db.migrated");
    byte[] backupBytes = digest(backup);
    FileTime backupTime = Files.getLastModifiedTime(backup);

    Stores second = open(sqlite());
    TestNode.await(second.jobs().insert(job("c")));
    TestNode.await(second.close());
    // a start on the old URL after the upgrade makes a new H2 file: the SQLite store is not replaced by it
    Stores late = open(h2());
    TestNode.await(late.jobs().insert(job("late")));
    TestNode.await(late.close());

    Stores third = open(sqlite());
    assertEquals(List.of("a", "c"), Snapshot.of(third).jobs().stream().map(Job::id).toList());
    TestNode.await(third.close());
    assertTrue(Files.exists(file("ruqi.mv.db")), "the H2 file beside the store is left alone");
    assertArrayEquals(backupBytes, digest(backup));
    assertEquals(backupTime, Files.getLastModifiedTime(backup));
    assertFalse(Files.exists(file("ruqi.mv.db.migrated.2")));
  }

  @Test
  void a_copy_cut_short_is_thrown_away_and_made_again() throws Exception {
    Stores h2 = open(h2());
    TestNode.await(h2.jobs().insert(job("a")));
    TestNode.await(h2.history().write(List.of(row("a", 1))));
    Snapshot before = Snapshot.of(h2);
    TestNode.await(h2.close());
    byte[] garbage = new byte[10_000];
    new Random(7).nextBytes(garbage);
    Files.write(file("ruqi.db.migrating"), garbage);
    Files.write(file("ruqi.db.migrating-wal"), garbage);

    Stores sqlite = open(sqlite());
    assertEquals(before, Snapshot.of(sqlite));
    TestNode.await(sqlite.close());
    assertFalse(Files.exists(file("ruqi.db.migrating")));
    assertFalse(Files.exists(file("ruqi.db.migrating-wal")));
    assertTrue(Files.exists(file("ruqi.mv.db.migrated")));
  }

  @Test
  void a_store_of_an_older_release_is_copied_and_the_later_columns_and_tables_start_empty() {
    Stores h2 = open(h2());
    sql(h2, "ALTER TABLE ruqi_jobs_history DROP COLUMN worker");
    sql(h2, "ALTER TABLE ruqi_jobs_history DROP COLUMN parent_fire_id");
    sql(h2, "ALTER TABLE ruqi_running DROP COLUMN parent_fire_id");
    sql(h2, "DROP TABLE ruqi_calendar");
    sql(h2, "INSERT INTO ruqi_jobs_history (job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost,"
        + " scheduler_name, c_time, fire_time, status, attempt) VALUES ('old', 'old', 'true', 1, 'ok', 0.5, 'n1',"
        + " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'success', 1)");
    sql(h2, "INSERT INTO ruqi_running (job_id, fire_time, node) VALUES ('old', '2026-01-01 00:00:10', 'n1')");
    TestNode.await(h2.close());

    Stores sqlite = open(sqlite());
    Snapshot after = Snapshot.of(sqlite);
    assertEquals(1, after.history().size());
    HistoryRecord old = after.history().get(0).record();
    assertEquals("ok", old.output());
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), old.fireTime());
    assertNull(old.worker());
    assertNull(old.parentFireId());
    assertEquals(List.of(new RunningFire("old", Instant.parse("2026-01-01T00:00:10Z"), "n1", null, null)),
        after.running());
    assertEquals(List.of(), after.calendars());
    TestNode.await(sqlite.close());
    assertTrue(Files.exists(file("ruqi.mv.db.migrated")));
  }

  /**
   * A history row SQLite refuses (an H2 store whose cmd_output took NULL): the copy is rolled back and thrown away,
   * the H2 file stays as it was, and the start fails at once with a message naming the file and the way back to it.
   * Once the row is mended, the next start copies.
   */
  @Test
  void a_copy_that_fails_leaves_the_h2_file_as_it_was_and_fails_the_start_clearly() throws Exception {
    Stores h2 = open(h2());
    TestNode.await(h2.jobs().insert(job("a")));
    TestNode.await(h2.history().write(List.of(row("a", 1))));
    sql(h2, "ALTER TABLE ruqi_jobs_history ALTER COLUMN cmd_output SET NULL");
    sql(h2, "INSERT INTO ruqi_jobs_history (job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost,"
        + " scheduler_name, c_time, fire_time, status, attempt) VALUES ('a', 'name a', 'true', 1, NULL, 0, 'n1',"
        + " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'success', 1)");
    TestNode.await(h2.close());
    byte[] h2Bytes = digest(file("ruqi.mv.db"));

    Throwable failure = assertThrows(IllegalStateException.class, () -> open(sqlite()));
    IllegalStateException cause = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalStateException e && String.valueOf(e.getMessage()).startsWith("could not copy")) {
        cause = e;
      }
    }
    assertNotNull(cause, () -> "the start fails with the copy's reason: " + failure);
    String message = cause.getMessage();
    assertTrue(message.contains(file("ruqi.mv.db").toString()), message);
    assertTrue(message.contains("cmd_output"), message);
    assertTrue(message.contains("set store.url to h2:" + file("ruqi")), message);
    assertFalse(StoreErrors.isUnavailable(failure), "not taken for a database to wait for (StoreWait)");

    assertArrayEquals(h2Bytes, digest(file("ruqi.mv.db")), "the H2 file is as it was");
    for (String name : List.of("ruqi.db", "ruqi.db-wal", "ruqi.db-shm", "ruqi.db.migrating", "ruqi.db.migrating-wal",
        "ruqi.db.migrating-shm", "ruqi.mv.db.migrated")) {
      assertFalse(Files.exists(file(name)), name);
    }

    Stores again = open(h2());
    assertEquals(job("a"), TestNode.await(again.jobs().find("a")));
    sql(again, "DELETE FROM ruqi_jobs_history WHERE cmd_output IS NULL");
    TestNode.await(again.close());
    Stores sqlite = open(sqlite());
    assertEquals(job("a"), TestNode.await(sqlite.jobs().find("a")));
    assertEquals(1, Snapshot.of(sqlite).history().size());
    TestNode.await(sqlite.close());
  }

  /**
   * Another node on the same directory copying at the same time (here a process holding the copy's lock): this one
   * waits, then finds the store that node made and copies nothing over it.
   */
  @Test
  void a_node_started_while_another_copies_waits_and_then_copies_nothing() throws Exception {
    Stores h2 = open(h2());
    TestNode.await(h2.jobs().insert(job("a")));
    TestNode.await(h2.close());
    String command = ProcessHandle.current().info().command().orElse("java");
    Process other = new ProcessBuilder(command, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        file("ruqi.db.migrating.lock").toString()).redirectErrorStream(true).start();
    try {
      assertEquals("locked", new BufferedReader(new InputStreamReader(other.getInputStream()))
          .readLine());
      Future<Stores> opening = opening(sqlite());
      Thread.sleep(1_000);
      assertFalse(opening.isComplete(), "waits for the other node's copy");
      assertFalse(Files.exists(file("ruqi.db")));
      // what the other node's copy leaves: its store (marked), the H2 file renamed
      try (Connection made = DriverManager.getConnection("jdbc:sqlite:" + file("ruqi.db"))) {
        made.createStatement().execute("CREATE TABLE made_by_the_other_node (x INTEGER)");
      }
      Files.move(file("ruqi.mv.db"), file("ruqi.mv.db.migrated"));
      other.getOutputStream().close();
      assertEquals(0, other.waitFor());

      Stores sqlite = TestNode.await(opening);
      assertEquals(0, first(sqlite, "SELECT COUNT(*) FROM made_by_the_other_node").getLong(0), "the same file");
      assertEquals(List.of(), Snapshot.of(sqlite).jobs(), "nothing copied over it");
      TestNode.await(sqlite.close());
      assertFalse(Files.exists(file("ruqi.db.migrating")));
    } finally {
      other.destroyForcibly();
    }
  }

  /** Holds a file's lock (as a copy does) until its input closes: another node, in a process of its own. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (FileChannel channel = FileChannel.open(Path.of(args[0]),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = channel.lock()) {
        System.out.println("locked");
        System.out.flush();
        System.in.read();
      }
    }
  }
}
