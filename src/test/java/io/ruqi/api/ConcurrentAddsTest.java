package io.ruqi.api;

import io.ruqi.store.AuditRecord;
import io.ruqi.store.DuplicateJobException;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adds made at the same moment go to the store together (store/JobAdds: one transaction, multi-row INSERTs), and
 * each is still answered as if it had come alone: every OK'd job is stored with exactly one audit row, an id taken
 * (before, or by another add of the batch) is refused as a duplicate without taking the others with it, and a batch
 * whose audit rows cannot be written leaves nothing. The adds are all issued in one go on the node's event loop, so
 * all but the first few wait for a write and go in batches.
 */
class ConcurrentAddsTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
  /**
   * Taken before the adds: MariaDB's duplicate-key message quotes it, and words like these in a message once made
   * the refusal look like a lost connection, which answered the whole batch with it (review of JobAdds).
   */
  static final String TAKEN = "taken-connection-timeout-closed";

  TestNode node;
  JobStore jobs;

  @BeforeEach
  void start() {
    node = TestNode.start(NOW, store().put("timezone", "UTC"));
    jobs = node.node.stores().jobs();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  static Job job(String id) {
    return job(id, "echo " + id);
  }

  static Job job(String id, String cmd) {
    return new Job(id, "concurrent", "cron", "0 0 3 * * *", cmd, ZoneOffset.UTC, null, null, NOW,
        NOW.plusSeconds(3600), false, new JsonObject(), 1, NOW, NOW);
  }

  static AuditRecord audit(String id) {
    return new AuditRecord(0, NOW, "test", "job_add", id, null, new JsonObject().put("cmd", "echo " + id), "n");
  }

  /** Issues every add in one event-loop task; answers each add's outcome by id ("OK" or the failure). */
  Map<String, Object> addAtOnce(List<String> ids) {
    Promise<List<Future<Void>>> issued = Promise.promise();
    node.vertx.runOnContext(v -> {
      List<Future<Void>> answers = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        answers.add(jobs.insert(job(ids.get(i), "echo " + ids.get(i) + " at " + i), audit(ids.get(i))));
      }
      issued.complete(answers);
    });
    List<Future<Void>> answers = TestNode.await(issued.future());
    TestNode.await(Future.join(answers).transform(ar -> Future.succeededFuture()));
    Map<String, Object> out = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Future<Void> f = answers.get(i);
      out.merge(ids.get(i) + "#" + i, f.succeeded() ? "OK" : f.cause(), (a, b) -> a);
    }
    return out;
  }

  /** INSERT statements the database has run so far, where it counts them (-1: not counted). */
  long insertStatements() {
    return -1;
  }

  Map<String, Long> countBy(String sql) {
    Map<String, Long> out = new HashMap<>();
    for (Row r : TestNode.await(node.node.stores().pool().query(sql).execute())) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  @Test
  void everyAddIsAnsweredAsIfAloneAndEveryOkdJobHasOneAuditRow() {
    TestNode.await(jobs.insert(job(TAKEN), audit(TAKEN)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      ids.add("job-" + i);
    }
    ids.add(40, TAKEN);
    ids.add(90, "job-7");

    long insertsBefore = insertStatements();

    Map<String, Object> answers = addAtOnce(ids);

    if (insertsBefore >= 0) {
      long inserts = insertStatements() - insertsBefore;
      assertTrue(inserts < ids.size() / 2, "the adds went in batches: " + inserts + " INSERT statements for "
          + ids.size() + " jobs and their audit rows");
    }
    assertInstanceOf(DuplicateJobException.class, answers.get(TAKEN + "#40"), "an id taken before");
    // two adds of one id at once: either may be first (as two requests at once always could), never both
    Object first = answers.get("job-7#7");
    Object second = answers.get("job-7#90");
    assertTrue(first.equals("OK") ^ second.equals("OK"), "one of the two adds of job-7 is OK: " + first + ", "
        + second);
    assertInstanceOf(DuplicateJobException.class, first.equals("OK") ? second : first);
    for (Map.Entry<String, Object> a : answers.entrySet()) {
      if (!a.getKey().startsWith(TAKEN) && !a.getKey().startsWith("job-7#")) {
        assertEquals("OK", a.getValue(), a.getKey());
      }
    }
    Map<String, Long> stored = countBy("SELECT job_name, COUNT(*) FROM ruqi_jobs GROUP BY job_name");
    assertEquals(151L, stored.get("concurrent"), "150 new jobs and the one there before");
    Map<String, Long> audited = countBy("SELECT job_id, COUNT(*) FROM ruqi_audit GROUP BY job_id");
    assertEquals(151, audited.size());
    audited.forEach((id, rows) -> assertEquals(1L, rows, "audit rows of " + id));
    Job seventh = TestNode.await(jobs.find("job-7"));
    assertEquals(first.equals("OK") ? "echo job-7 at 7" : "echo job-7 at 90", seventh.cmd(),
        "the job of the add answered OK");
  }

  @Test
  void addsWhoseAuditRowsCannotBeWrittenLeaveNothing() {
    new AuditedChangeTest() {
      {
        node = ConcurrentAddsTest.this.node;
      }

      @Override
      public JsonObject store() {
        return ConcurrentAddsTest.this.store();
      }
    }.refuseAuditRows();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add("unaudited-" + i);
    }

    Map<String, Object> answers = addAtOnce(ids);

    answers.forEach((id, answer) -> assertTrue(answer instanceof Throwable, id + " was answered " + answer));
    assertEquals(0, countBy("SELECT job_name, COUNT(*) FROM ruqi_jobs GROUP BY job_name").size());
  }
}
