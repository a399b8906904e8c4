package io.ruqi.schedule;

import io.ruqi.schedule.SchedulerBus.DoneJobsRemoved;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.JobsChanged;
import io.ruqi.schedule.SchedulerBus.RunNow;
import io.ruqi.schedule.SchedulerBus.RunNowOutcome;
import io.ruqi.schedule.SchedulerBus.RunNowReply;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler's messages read back as they were sent, through their JSON (what a cluster peer receives). */
class SchedulerBusTest {
  private static final Instant FIRE = Instant.parse("2026-12-02T10:00:00.250Z");

  @Test
  void every_run_now_outcome_crosses_the_wire() {
    for (RunNowOutcome outcome : RunNowOutcome.values()) {
      RunNowReply sent = new RunNowReply(outcome, "nightly", FIRE, "nightly@" + FIRE.toEpochMilli());
      assertEquals(sent, RunNowReply.from(new JsonObject(sent.toJson().encode())), outcome.name());
    }
    assertEquals(RunNowReply.without(RunNowOutcome.NO_JOB),
        RunNowReply.from(RunNowReply.without(RunNowOutcome.NO_JOB).toJson()));
    assertEquals("started", new RunNowReply(RunNowOutcome.STARTED, "j", FIRE, "id").toJson().getString("outcome"),
        "the wire keeps the names replies had");
    assertEquals(new RunNow("a@b"), RunNow.from(new RunNow("a@b").toJson()));
  }

  @Test
  void a_failed_run_now_is_no_reply_to_read() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RunNowReply.from(new JsonObject().put("error", "store down")));
    assertTrue(e.getMessage().contains("store down"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> RunNowReply.from(new JsonObject().put("outcome", "maybe")));
  }

  @Test
  void a_job_notice_says_whether_its_next_fire_is_known_and_a_null_one_is_known() {
    JobChanged paused = JobChanged.from(new JsonObject(JobChanged.job("a", "paused", null).toJson().encode()));
    assertTrue(paused.nextKnown(), "null: paused, done or removed, nothing to read back");
    assertNull(paused.next());
    JobChanged due = JobChanged.from(JobChanged.job("a", "modified", FIRE).toJson());
    assertEquals(FIRE, due.next());
    // a removal by name as nodes before 2026-12-06 sent it (they now send one notice per job removed)
    JobChanged byName = JobChanged.from(new JsonObject().put("job_name", "nightly").put("change", "removed"));
    assertFalse(byName.nextKnown(), "no next fire known: the scheduler reads the store again");
    assertEquals("nightly", byName.jobName());
    assertNull(byName.jobId());
    JobChanged switched = JobChanged.from(JobChanged.schedulerSwitch(true).toJson());
    assertEquals(new JobChanged(null, null, "scheduler_paused", false, null), switched);
  }

  @Test
  void changes_of_one_turn_cross_as_one_notice_that_an_older_node_reads_as_a_change_of_no_job() {
    JobsChanged sent = new JobsChanged(List.of(JobChanged.job("a", "added", FIRE), JobChanged.job("b", "removed", null)));
    JsonObject wire = new JsonObject(sent.toJson().encode());
    assertTrue(JobsChanged.isOne(wire));
    assertFalse(DoneJobsRemoved.isOne(wire));
    assertEquals(sent, JobsChanged.from(wire));
    assertFalse(JobsChanged.isOne(JobChanged.job("a", "added", FIRE).toJson()));
    assertFalse(JobsChanged.isOne(new DoneJobsRemoved(List.of("a")).toJson()));
    JobChanged asOlderNodesRead = JobChanged.from(wire);
    assertNull(asOlderNodesRead.jobId(), "no job id: such a node reads the store again");
    assertFalse(asOlderNodesRead.nextKnown());
  }

  @Test
  void done_jobs_removed_cross_as_one_notice_that_an_older_node_reads_as_a_change_of_no_job() {
    JsonObject wire = new JsonObject(new DoneJobsRemoved(List.of("a", "b")).toJson().encode());
    assertTrue(DoneJobsRemoved.isOne(wire));
    assertEquals(List.of("a", "b"), DoneJobsRemoved.from(wire).jobIds());
    assertFalse(DoneJobsRemoved.isOne(JobChanged.job("a", "removed", null).toJson()));
    JobChanged asOlderNodesRead = JobChanged.from(wire);
    assertNull(asOlderNodesRead.jobId(), "no job id: such a node reads the store again");
    assertFalse(asOlderNodesRead.nextKnown());
  }
}
