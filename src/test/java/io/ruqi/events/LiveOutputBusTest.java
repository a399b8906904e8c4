package io.ruqi.events;

import io.ruqi.exec.FireContext;
import io.ruqi.exec.OutputLines;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A run's lines go on the bus only while a view watches its fire; the watch lapses when the view stops saying so. */
class LiveOutputBusTest {
  final Vertx vertx = Vertx.vertx();
  final AtomicLong nanos = new AtomicLong();

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  @Test
  void lines_are_published_only_while_the_fire_is_watched() {
    LiveOutputBus bus = new LiveOutputBus(vertx.eventBus(), "node-a", nanos::get);
    TestNode.await(vertx.deployVerticle(bus));
    FireContext fire = new FireContext("job", "name", Instant.ofEpochMilli(1000), "job@1000", 1, Duration.ofSeconds(5));
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    TestNode.await(vertx.eventBus().<JsonObject>consumer(LiveOutputBus.address("job@1000"), m -> seen.add(m.body()))
        .completion());
    // the lines a view asks for again come to its own address, not to every view of the fire
    String replays = LiveOutputBus.replayAddress();
    List<JsonObject> replayed = new CopyOnWriteArrayList<>();
    TestNode.await(vertx.eventBus().<JsonObject>consumer(replays, m -> replayed.add(m.body())).completion());
    OutputLines.Listener listener = bus.open(fire);

    listener.line(1, "printed before anyone looked", 0);
    assertFalse(bus.isWatched("job@1000"));
    assertEquals(List.of(), delivered(seen), "nothing goes on the bus for a fire nobody watches");

    LiveOutputBus.watch(vertx.eventBus(), "job@1000", 0, 0, replays);
    TestNode.eventually(5, "a view that comes late gets what was printed before", () -> replayed.size() == 1);
    assertEquals("printed before anyone looked", replayed.get(0).getString("line"));
    assertEquals("node-a", replayed.get(0).getString("node"));
    assertEquals(1, replayed.get(0).getInteger("attempt"));
    listener.line(2, "watched", 0);
    TestNode.eventually(5, "new lines go out as they come", () -> seen.size() == 1);
    assertEquals(2L, seen.get(0).getLong("seq"));

    LiveOutputBus.watch(vertx.eventBus(), "job@1000", 1, 1, replays); // this view lost line 2
    TestNode.eventually(5, "the lines after the view's last one come again", () -> replayed.size() == 2);
    assertEquals("watched", replayed.get(1).getString("line"));
    assertEquals(List.of(2L), delivered(seen).stream().map(l -> l.getLong("seq")).toList(),
        "to that view alone, not published to every view of the fire");
    List<JsonObject> elsewhere = new CopyOnWriteArrayList<>();
    TestNode.await(vertx.eventBus().<JsonObject>consumer("ruqi.not-a-view", m -> elsewhere.add(m.body()))
        .completion());
    LiveOutputBus.watch(vertx.eventBus(), "job@1000", 1, 0, "ruqi.not-a-view");
    LiveOutputBus.watch(vertx.eventBus(), "job@1000", 1, 1, replays); // handled after it, in order
    TestNode.eventually(5, "the second watch's replay", () -> replayed.size() == 3);
    assertEquals(List.of(), elsewhere, "a watch sends lines only to a view's own kind of address");

    nanos.addAndGet(LiveOutputBus.WATCH_TTL_NANOS + 1);
    assertFalse(bus.isWatched("job@1000"), "a view that stopped asking no longer gets lines");
    listener.line(3, "after the view left", 0);
    listener.end(0);
    assertEquals(1, delivered(seen).size());
    assertEquals(3, replayed.size());
  }

  /** What was delivered before a marker sent now (the bus keeps one sender's order): no waiting for an absence. */
  List<JsonObject> delivered(List<JsonObject> seen) {
    vertx.eventBus().publish(LiveOutputBus.address("job@1000"), new JsonObject().put("marker", true));
    TestNode.eventually(5, "the marker arrives", () -> seen.stream().anyMatch(m -> m.containsKey("marker")));
    List<JsonObject> before = seen.subList(0, seen.size() - 1);
    List<JsonObject> copy = List.copyOf(before);
    seen.remove(seen.size() - 1);
    return copy;
  }
}
