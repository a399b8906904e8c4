package io.ruqi.api;

import io.ruqi.schedule.SchedulerBus;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.JobsChanged;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's change notices of one turn of the event loop leave as one message, in order; a lone one as it was. */
class ChangeNoticesTest {
  private static final Instant NEXT = Instant.parse("2035-01-01T00:00:00Z");
  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> wire = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  private ChangeNotices listening() {
    TestNode.await(vertx.eventBus().<JsonObject>consumer(SchedulerBus.JOBS_CHANGED, m -> wire.add(m.body()))
        .completion());
    return new ChangeNotices(vertx);
  }

  @Test
  void the_changes_of_one_turn_leave_together_in_their_order_and_one_with_no_next_fire_alone() {
    ChangeNotices notices = listening();
    vertx.runOnContext(v -> {
      notices.publish(JobChanged.job("a", "added", NEXT));
      notices.publish(JobChanged.job("b", "added", NEXT));
      notices.publish(JobChanged.job("a", "removed", null));
      notices.publish(JobChanged.job("c", "added", NEXT));
      notices.publish(JobChanged.job("d", "resumed", NEXT));
    });
    TestNode.eventually(5, "the notices", () -> wire.size() >= 3);
    TestNode.sleep(100);
    assertEquals(3, wire.size(), wire.toString());
    assertEquals(List.of(JobChanged.job("a", "added", NEXT), JobChanged.job("b", "added", NEXT)),
        JobsChanged.from(wire.get(0)).changes());
    // an older node reads a JobsChanged as "read the store again", which takes no removed job out of its heap
    assertFalse(JobsChanged.isOne(wire.get(1)));
    assertEquals(JobChanged.job("a", "removed", null), JobChanged.from(wire.get(1)));
    assertEquals(List.of(JobChanged.job("c", "added", NEXT), JobChanged.job("d", "resumed", NEXT)),
        JobsChanged.from(wire.get(2)).changes());
  }

  @Test
  void notices_from_many_threads_all_leave_each_threads_in_order() throws Exception {
    ChangeNotices notices = listening();
    int threads = 4;
    int each = 300;
    List<Thread> started = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th = new Thread(() -> IntStream.range(0, each)
          .forEach(i -> notices.publish(JobChanged.job("t" + thread + "-" + i, "added", NEXT))));
      th.start();
      started.add(th);
    }
    for (Thread th : started) {
      th.join();
    }
    TestNode.eventually(10, "every change", () -> wire.stream().mapToInt(ChangeNoticesTest::changes).sum()
        == threads * each);
    List<String> ids = wire.stream().flatMap(n -> JobsChanged.isOne(n) ? JobsChanged.from(n).changes().stream()
        : java.util.stream.Stream.of(JobChanged.from(n))).map(JobChanged::jobId).toList();
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      List<String> mine = ids.stream().filter(id -> id.startsWith(prefix)).toList();
      assertEquals(IntStream.range(0, each).mapToObj(i -> prefix + i).toList(), mine);
    }
  }

  @Test
  void a_lone_change_leaves_as_the_notice_older_nodes_read() {
    ChangeNotices notices = listening();
    vertx.runOnContext(v -> notices.publish(JobChanged.job("a", "paused", null)));
    TestNode.eventually(5, "the notice", () -> !wire.isEmpty());
    assertFalse(JobsChanged.isOne(wire.get(0)));
    assertEquals(JobChanged.job("a", "paused", null), JobChanged.from(wire.get(0)));
  }

  @Test
  void a_large_turn_leaves_in_notices_of_at_most_the_bound() {
    ChangeNotices notices = listening();
    int n = JobsChanged.MOST * 2 + 1;
    vertx.runOnContext(v -> IntStream.range(0, n).forEach(i -> notices.publish(JobChanged.job("j" + i, "added", NEXT))));
    TestNode.eventually(5, "every change", () -> wire.stream().mapToInt(ChangeNoticesTest::changes).sum() == n);
    assertEquals(List.of(JobsChanged.MOST, JobsChanged.MOST, 1), wire.stream().map(ChangeNoticesTest::changes).toList());
    assertEquals("j0", JobsChanged.from(wire.get(0)).changes().get(0).jobId());
    assertEquals(JobChanged.job("j" + (n - 1), "added", NEXT), JobChanged.from(wire.get(2)));
  }

  private static int changes(JsonObject notice) {
    return JobsChanged.isOne(notice) ? JobsChanged.from(notice).changes().size() : 1;
  }
}
