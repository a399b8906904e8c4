package io.ruqi.worker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The workers one scheduler hears, from their heartbeats: a worker is live until it says it leaves or has been
 * silent for {@link WorkerBus#GONE_AFTER_MS}. Chooses the least loaded worker of a label; the load counts the runs
 * this scheduler has sent it since (its heartbeat says them a second late), so a burst is spread at once. Not
 * thread-safe: confined to the scheduler's event loop.
 */
public final class WorkerTable {
  /** Workers remembered at most: heartbeats from a flood of made-up names cannot grow the table without bound. */
  static final int MAX_WORKERS = 1_000;

  private final Map<String, Seen> workers = new TreeMap<>();
  private int turn;

  private record Seen(Heartbeat beat, long atNanos) {
  }

  /**
   * Takes a heartbeat heard at {@code nowNanos}.
   *
   * @return whether the worker's runs known so far are over, one way or another: it leaves, or it has started
   *         again since (a new incarnation)
   */
  public boolean heard(Heartbeat beat, long nowNanos) {
    if (beat.leaving()) {
      Seen left = workers.get(beat.worker());
      if (left != null && left.beat().incarnation().equals(beat.incarnation())) {
        workers.remove(beat.worker());
        return true;
      }
      return false;
    }
    Seen before = workers.get(beat.worker());
    if (before != null || workers.size() < MAX_WORKERS) {
      workers.put(beat.worker(), new Seen(beat, nowNanos));
    }
    return before != null && !before.beat().incarnation().equals(beat.incarnation());
  }

  /** Forgets the workers silent too long at {@code nowNanos}, and answers their names. */
  public List<String> sweep(long nowNanos) {
    List<String> gone = new ArrayList<>();
    workers.entrySet().removeIf(e -> {
      boolean silent = nowNanos - e.getValue().atNanos() > WorkerBus.GONE_AFTER_MS * 1_000_000L;
      if (silent) {
        gone.add(e.getKey());
      }
      return silent;
    });
    return gone;
  }

  public boolean live(String worker) {
    return workers.containsKey(worker);
  }

  /** Every live worker with {@code label}, by name. */
  public List<String> withLabel(String label) {
    List<String> out = new ArrayList<>();
    workers.forEach((name, seen) -> {
      if (seen.beat().labels().contains(label)) {
        out.add(name);
      }
    });
    return out;
  }

  /**
   * The live worker with {@code label} whose load (its runs over its capacity) is least, or null if none;
   * {@code sentHere} says how many runs this scheduler has sent each worker that are still going. Of equal ones,
   * each call takes the next, so equal workers share the runs.
   */
  public String pick(String label, ToIntFunction<String> sentHere) {
    List<String> candidates = withLabel(label);
    if (candidates.isEmpty()) {
      return null;
    }
    Comparator<String> byLoad = Comparator.comparingDouble(name -> load(name, sentHere));
    double least = candidates.stream().mapToDouble(name -> load(name, sentHere)).min().orElseThrow();
    List<String> equal = candidates.stream().filter(name -> load(name, sentHere) == least).sorted(byLoad).toList();
    return equal.get(Math.floorMod(turn++, equal.size()));
  }

  private double load(String name, ToIntFunction<String> sentHere) {
    Heartbeat beat = workers.get(name).beat();
    return (double) Math.max(beat.running(), sentHere.applyAsInt(name)) / beat.capacity();
  }

  /** For {@code scheduler_status}: each live worker, its labels, load and how long ago it was heard. */
  public JsonArray toJson(long nowNanos) {
    JsonArray out = new JsonArray();
    workers.forEach((name, seen) -> out.add(new JsonObject().put("worker", name)
        .put("labels", new JsonArray(new ArrayList<>(seen.beat().labels())))
        .put("running", seen.beat().running()).put("capacity", seen.beat().capacity())
        .put("last_seen_ms", Math.max(0, (nowNanos - seen.atNanos()) / 1_000_000))));
    return out;
  }
}
