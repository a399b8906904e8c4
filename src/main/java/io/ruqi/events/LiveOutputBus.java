package io.ruqi.events;

import io.ruqi.exec.FireContext;
import io.ruqi.exec.LiveOutput;
import io.ruqi.exec.OutputLines;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Carries the lines of running processes to live views, on whichever node of the cluster they are watched from: a
 * view says which fire it watches, and the last line it has, on {@value #WATCH_ADDRESS} every few seconds; the node
 * running that fire publishes its lines on {@code ruqi.output.<fire_id>} until the view has been silent for
 * {@link #WATCH_TTL_NANOS}, and answers each watch with the lines after the view's last one that it still holds (the
 * last {@value #BACKLOG_LINES}), so a view opened late starts with what was printed before it came, and a line lost
 * on the way comes again. Lines carry their attempt and sequence number, for the view to skip repeats. Fires nobody
 * watches send nothing anywhere, so a chatty command costs the bus nothing until someone looks.
 */
public final class LiveOutputBus extends VerticleBase implements LiveOutput {
  public static final String WATCH_ADDRESS = "ruqi.output.watch";
  /** Only such addresses get replays: a watch message cannot aim them at another consumer (an API address). */
  static final String REPLAY_PREFIX = "ruqi.output-replay.";
  static final long WATCH_TTL_NANOS = 10_000_000_000L;
  /** Watched fires remembered at most: a flood of watch messages cannot grow the map without bound. */
  static final int MAX_WATCHED = 10_000;
  /** Lines of each run kept for a view that comes late: at most 100 KB a run (lines are cut at 1,000 bytes). */
  static final int BACKLOG_LINES = 100;

  private final EventBus bus;
  private final String node;
  private final LongSupplier nanos;
  private final Map<String, Long> watchedUntil = new ConcurrentHashMap<>();
  private final Map<String, Run> running = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public LiveOutputBus(EventBus bus, String node, LongSupplier nanos) {
    this.bus = bus;
    this.node = node;
    this.nanos = nanos;
  }

  public static String address(String fireId) {
    return "ruqi.output." + fireId;
  }

  /** A view's own address, where the lines it asks for again come to it alone. */
  public static String replayAddress() {
    return REPLAY_PREFIX + UUID.randomUUID();
  }

  /**
   * A view watches {@code fireId} (on any node) and has its lines up to {@code seq} of {@code attempt} (0, 0: none):
   * tells every node, and the one running it sends the lines after those to {@code replyTo} (that view's own
   * address: a view that is behind costs the others nothing), then publishes every new one.
   */
  public static void watch(EventBus bus, String fireId, int attempt, long seq, String replyTo) {
    bus.publish(WATCH_ADDRESS, new JsonObject().put("fire_id", fireId).put("attempt", attempt).put("seq", seq)
        .put("reply_to", replyTo));
  }

  @Override
  public Future<?> start() {
    consumer = bus.consumer(WATCH_ADDRESS, m -> {
      JsonObject body = m.body();
      String fireId = body == null ? null : body.getString("fire_id");
      if (fireId == null) {
        return;
      }
      watched(fireId);
      Run run = running.get(fireId);
      String replyTo = body.getValue("reply_to") instanceof String r && r.startsWith(REPLAY_PREFIX) ? r : null;
      if (run != null && replyTo != null) {
        run.replay(intOr(body, "attempt"), longOr(body, "seq"), replyTo);
      }
    });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void watched(String fireId) {
    long now = nanos.getAsLong();
    if (watchedUntil.size() >= MAX_WATCHED) {
      watchedUntil.values().removeIf(until -> until - now < 0);
      if (watchedUntil.size() >= MAX_WATCHED) {
        return;
      }
    }
    watchedUntil.put(fireId, now + WATCH_TTL_NANOS);
  }

  boolean isWatched(String fireId) {
    Long until = watchedUntil.get(fireId);
    if (until == null) {
      return false;
    }
    if (until - nanos.getAsLong() < 0) {
      watchedUntil.remove(fireId, until);
      return false;
    }
    return true;
  }

  @Override
  public OutputLines.Listener open(FireContext fire) {
    Run run = new Run(fire);
    running.put(fire.fireId(), run);
    return run;
  }

  /** One run's lines: the pump thread adds them, the event loop replays them; hence synchronized. */
  private final class Run implements OutputLines.Listener {
    private final FireContext fire;
    private final String address;
    private final Deque<JsonObject> backlog = new ArrayDeque<>();

    Run(FireContext fire) {
      this.fire = fire;
      this.address = address(fire.fireId());
    }

    @Override
    public synchronized void line(long seq, String text, long dropped) {
      JsonObject line = base().put("seq", seq).put("line", text).put("dropped", dropped);
      if (backlog.size() == BACKLOG_LINES) {
        backlog.removeFirst();
      }
      backlog.addLast(line);
      if (isWatched(fire.fireId())) {
        bus.publish(address, line);
      }
    }

    @Override
    public synchronized void end(long dropped) {
      running.remove(fire.fireId(), this);
      if (isWatched(fire.fireId())) {
        bus.publish(address, base().put("end", true).put("dropped", dropped));
      }
    }

    synchronized void replay(int attempt, long after, String replyTo) {
      for (JsonObject line : backlog) {
        if (attempt != fire.attempt() || line.getLong("seq") > after) {
          bus.send(replyTo, line);
        }
      }
    }

    private JsonObject base() {
      return new JsonObject().put("fire_id", fire.fireId()).put("attempt", fire.attempt()).put("node", node);
    }
  }

  private static int intOr(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? n.intValue() : 0;
  }

  private static long longOr(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? n.longValue() : 0;
  }
}
