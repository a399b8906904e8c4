package io.ruqi.worker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live-worker table, with time moved by hand (nanoseconds passed in). */
class WorkerTableTest {
  static final long SECOND = 1_000_000_000L;
  final WorkerTable table = new WorkerTable();

  static Heartbeat beat(String worker, String incarnation, int running, int capacity, String... labels) {
    return new Heartbeat(worker, incarnation, List.of(labels), running, capacity, false);
  }

  @Test
  void the_least_loaded_worker_of_the_label_is_chosen_counting_runs_sent_since_its_heartbeat() {
    table.heard(beat("a", "1", 3, 4, "gpu"), 0);
    table.heard(beat("b", "1", 1, 4, "gpu"), 0);
    table.heard(beat("c", "1", 0, 4, "cpu"), 0);
    assertEquals("b", table.pick("gpu", w -> 0));
    assertEquals("a", table.pick("gpu", w -> w.equals("b") ? 4 : 0), "b has 4 of 4 runs from here: a is less full");
    assertNull(table.pick("tpu", w -> 0));
  }

  @Test
  void equal_workers_take_turns() {
    table.heard(beat("a", "1", 0, 4, "eu"), 0);
    table.heard(beat("b", "1", 0, 4, "eu"), 0);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(table.pick("eu", w -> 0));
    }
    assertEquals(List.of("a", "b", "a", "b"), picks);
  }

  @Test
  void a_worker_silent_past_the_bound_is_gone_and_one_heard_within_it_is_not() {
    table.heard(beat("a", "1", 0, 4, "eu"), 0);
    table.heard(beat("b", "1", 0, 4, "eu"), 0);
    table.heard(beat("b", "1", 0, 4, "eu"), 4 * SECOND);
    assertEquals(List.of(), table.sweep(5 * SECOND), "five seconds of silence is not yet gone");
    assertEquals(List.of("a"), table.sweep(5 * SECOND + 1));
    assertEquals(List.of("b"), table.withLabel("eu"));
  }

  @Test
  void a_worker_that_leaves_or_starts_again_ends_its_former_runs() {
    assertFalse(table.heard(beat("a", "1", 0, 4, "eu"), 0));
    assertFalse(table.heard(beat("a", "1", 2, 4, "eu"), SECOND));
    assertTrue(table.heard(beat("a", "2", 0, 4, "eu"), 2 * SECOND), "a new incarnation under the same name");
    assertFalse(table.heard(new Heartbeat("a", "1", List.of("eu"), 0, 4, true), 3 * SECOND),
        "the former life's goodbye does not remove the new one");
    assertTrue(table.live("a"));
    assertTrue(table.heard(new Heartbeat("a", "2", List.of("eu"), 0, 4, true), 4 * SECOND));
    assertFalse(table.live("a"));
  }

  @Test
  void a_malformed_heartbeat_is_no_heartbeat() {
    assertNull(Heartbeat.from(new JsonObject().put("worker", "a")));
    assertNull(Heartbeat.from(new JsonObject(Map.of("worker", "a", "incarnation", "1", "labels",
        List.of("bad label")))));
    assertNull(Heartbeat.from(new JsonObject(Map.of("worker", "a", "incarnation", "1", "labels", List.of("eu"),
        "capacity", 0))));
    assertNull(Heartbeat.from(new JsonObject(Map.of("worker", 7, "incarnation", "1", "labels", List.of("eu")))));
    assertNull(Heartbeat.from(new JsonObject(Map.of("worker", "a", "labels", List.of("eu")))), "no incarnation");
    Heartbeat ok = Heartbeat.from(beat("a", "1", 1, 2, "eu").toJson());
    assertEquals(beat("a", "1", 1, 2, "eu"), ok);
  }
}
