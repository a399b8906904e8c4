package io.ruqi.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server that stands for the services jobs call, and remembers every delivery: which fire (its
 * {@code Idempotency-Key} and {@code X-Ruqi-Fire-Id}), which node sent it, when it arrived, and whether it was
 * answered or cut (the sender's connection closed before the answer was written).
 *
 * <p>Paths are {@code /via/<node>/<how>/<anything>}: each node posts its {@code /path} commands to a base URL of its
 * own ({@code exec.base_url} = {@link #baseFor}), so the path names the sender. {@code <how>} is {@code now}
 * (answer at once), {@code wait<ms>} (answer after that many ms) or {@code hold} (answer when the test calls
 * {@link #release}). The answer is RuQi's {@code {"stat":"OK"}}.
 */
public final class FireSink implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile("/via/([^/]+)/(now|wait(\\d+)|hold)/.*");
  private static final String OK = "{\"stat\":\"OK\"}";

  /** One request as the sink saw it; {@code answeredMs} and {@code cutMs} are -1 until that happened. */
  public static final class Arrival {
    public final String idempotencyKey;
    public final String fireIdHeader;
    public final String attempt;
    public final String node;
    public final String path;
    public final long arrivedMs;
    private volatile long answeredMs = -1;
    private volatile long cutMs = -1;

    Arrival(String idempotencyKey, String fireIdHeader, String attempt, String node, String path, long arrivedMs) {
      this.idempotencyKey = idempotencyKey;
      this.fireIdHeader = fireIdHeader;
      this.attempt = attempt;
      this.node = node;
      this.path = path;
      this.arrivedMs = arrivedMs;
    }

    public long answeredMs() {
      return answeredMs;
    }

    public long cutMs() {
      return cutMs;
    }

    /** As the ledger reads it. */
    public FireLedger.Delivery delivery() {
      return new FireLedger.Delivery(idempotencyKey, node, arrivedMs, answeredMs, cutMs);
    }

    @Override
    public String toString() {
      return idempotencyKey + " from " + node + " at " + arrivedMs + (answeredMs >= 0 ? ", answered " + answeredMs : "")
          + (cutMs >= 0 ? ", cut " + cutMs : "");
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final Map<String, Runnable> held = new ConcurrentHashMap<>();

  public FireSink() {
    server = TestNode.await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  /** The {@code exec.base_url} of a node: its {@code /path} commands arrive here under its name. */
  public String baseFor(String node) {
    return "http://127.0.0.1:" + server.actualPort() + "/via/" + node;
  }

  /** Every request so far, in order of arrival. */
  public List<Arrival> arrivals() {
    return new ArrayList<>(arrivals);
  }

  public List<FireLedger.Delivery> deliveries() {
    return arrivals.stream().map(Arrival::delivery).toList();
  }

  /** Answers the held requests whose path ends with {@code suffix}; answers how many. */
  public int release(String suffix) {
    List<String> keys = held.keySet().stream().filter(k -> k.substring(0, k.lastIndexOf('#')).endsWith(suffix))
        .toList();
    keys.forEach(k -> {
      Runnable answer = held.remove(k);
      if (answer != null) {
        vertx.runOnContext(v -> answer.run());
      }
    });
    return keys.size();
  }

  private void handle(HttpServerRequest req) {
    // recorded once the whole request is in: a sender that died mid-request delivered nothing
    req.body().onSuccess(body -> {
      Matcher m = PATH.matcher(req.path());
      Arrival a = new Arrival(req.getHeader("Idempotency-Key"), req.getHeader("X-Ruqi-Fire-Id"),
          req.getHeader("X-Ruqi-Attempt"), m.matches() ? m.group(1) : "?", req.path(), System.currentTimeMillis());
      arrivals.add(a);
      req.response().closeHandler(v -> {
        if (a.answeredMs < 0 && a.cutMs < 0) {
          a.cutMs = System.currentTimeMillis();
        }
      });
      Runnable answer = () -> {
        if (a.cutMs >= 0) {
          return;
        }
        req.response().putHeader("content-type", "application/json").end(OK).onComplete(ar -> {
          if (ar.succeeded()) {
            a.answeredMs = System.currentTimeMillis();
          } else if (a.cutMs < 0) {
            a.cutMs = System.currentTimeMillis();
          }
        });
      };
      if (!m.matches() || m.group(2).equals("now")) {
        answer.run();
      } else if (m.group(3) != null) {
        vertx.setTimer(Math.max(1, Long.parseLong(m.group(3))), id -> answer.run());
      } else {
        held.put(req.path() + "#" + arrivals.size(), answer);
      }
    });
  }

  @Override
  public void close() {
    TestNode.await(vertx.close());
  }
}
