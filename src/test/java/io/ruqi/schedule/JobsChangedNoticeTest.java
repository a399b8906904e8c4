package io.ruqi.schedule;

import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.JobsChanged;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A scheduler applies each change of a {@link JobsChanged} notice as it would the change's own notice. */
class JobsChangedNoticeTest {
  private static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  TestNode node;

  @BeforeEach
  void start() {
    // a window that holds the jobs' first fires, 10 s ahead
    node = TestNode.start(NOW, new JsonObject().put("timezone", "UTC")
        .put("scheduler", new JsonObject().put("read_ahead", 60)));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  int heapSize() {
    return TestNode.await(node.vertx.eventBus().<JsonObject>request(SchedulerBus.STATUS, new JsonObject()))
        .body().getInteger("heap_size");
  }

  @Test
  void each_change_of_one_notice_moves_its_job_in_the_heap() {
    for (String id : List.of("a", "b", "c")) {
      node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "n")
          .put("job_trigger", "interval").put("rule", "10s").put("cmd", "true"));
    }
    eventually(10, "three jobs in the heap", () -> heapSize() == 3);
    // as if a peer's API had moved a and b beyond the read-ahead window: a read of the store would keep both queued
    Instant later = NOW.plus(Duration.ofDays(1));
    node.vertx.eventBus().publish(SchedulerBus.JOBS_CHANGED, new JobsChanged(List.of(
        JobChanged.job("a", "modified", later), JobChanged.job("b", "modified", later))).toJson());
    eventually(10, "a and b left the heap, c stayed", () -> heapSize() == 1);
  }
}
