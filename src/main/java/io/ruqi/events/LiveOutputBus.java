package io.ruqi.events;

import io.ruqi.exec.FireContext;
import io.ruqi.exec.LiveOutput;
import io.ruqi.exec.OutputLines;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Carries the lines of running processes to live views, on whichever node of the cluster they are watched from: a
 * view says which fire it watches on {@value #WATCH_ADDRESS} every few seconds, and the node running that fire
 * publishes its lines on {@code ruqi.output.<fire_id>} until the view has been silent for {@link #WATCH_TTL_NANOS}.
 * Fires nobody watches send nothing anywhere, so a chatty command costs the bus nothing until someone looks.
 */
public final class LiveOutputBus extends VerticleBase implements LiveOutput {
  public static final String WATCH_ADDRESS = "ruqi.output.watch";
  static final long WATCH_TTL_NANOS = 10_000_000_000L;
  /** Watched fires remembered at most: a flood of watch messages cannot grow the map without bound. */
  static final int MAX_WATCHED = 10_000;

  private final EventBus bus;
  private final String node;
  private final LongSupplier nanos;
  private final Map<String, Long> watchedUntil = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public LiveOutputBus(EventBus bus, String node, LongSupplier nanos) {
    this.bus = bus;
    this.node = node;
    this.nanos = nanos;
  }

  public static String address(String fireId) {
    return "ruqi.output." + fireId;
  }

  /** A view watches {@code fireId} (on any node): tells every node, which then publishes its lines. */
  public static void watch(EventBus bus, String fireId) {
    bus.publish(WATCH_ADDRESS, new JsonObject().put("fire_id", fireId));
  }

  @Override
  public Future<?> start() {
    consumer = bus.consumer(WATCH_ADDRESS, m -> {
      String fireId = m.body() == null ? null : m.body().getString("fire_id");
      if (fireId != null) {
        watched(fireId);
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
    String address = address(fire.fireId());
    return new OutputLines.Listener() {
      @Override
      public void line(long seq, String text, long dropped) {
        if (isWatched(fire.fireId())) {
          bus.publish(address, base().put("seq", seq).put("line", text).put("dropped", dropped));
        }
      }

      @Override
      public void end(long dropped) {
        if (isWatched(fire.fireId())) {
          bus.publish(address, base().put("end", true).put("dropped", dropped));
        }
      }

      private JsonObject base() {
        return new JsonObject().put("fire_id", fire.fireId()).put("attempt", fire.attempt()).put("node", node);
      }
    };
  }
}
