package io.ruqi.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes connections that hold the server without sending a request (slowloris: headers sent a byte at a time, each
 * in time for the idle timeout). A new connection has {@code http.request_read_timeout} to deliver a whole request,
 * headers and body; a kept-alive one has the idle timeout plus that from the end of its last reply, since the start
 * of the next request cannot be seen from here. While a request is being answered (an API call, the event stream)
 * no deadline runs: the idle timeout and the API's own timeout cover that time.
 * <p>
 * All its calls come on the server's event loop, so the map needs no lock.
 */
final class RequestDeadlines {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

  private final Vertx vertx;
  private final long firstMs;
  private final long nextMs;
  private final Map<HttpConnection, Long> timers = new IdentityHashMap<>();

  RequestDeadlines(Vertx vertx, Duration requestRead, Duration idle) {
    this.vertx = vertx;
    this.firstMs = Math.max(1, requestRead.toMillis());
    this.nextMs = Math.max(1, requestRead.plus(idle).toMillis());
  }

  void opened(HttpConnection connection) {
    arm(connection, firstMs);
    connection.closeHandler(v -> cancel(connection));
  }

  /** The headers are in; the deadline keeps running until the body is in too. */
  void arrived(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      cancel(connection);
    } else {
      request.end().onComplete(ar -> cancel(connection));
    }
  }

  void answered(HttpConnection connection) {
    arm(connection, nextMs);
  }

  private void arm(HttpConnection connection, long ms) {
    cancel(connection);
    timers.put(connection, vertx.setTimer(ms, id -> {
      timers.remove(connection);
      LOG.debug("closing a connection from {}: no whole request within {} ms", connection.remoteAddress(), ms);
      connection.close();
    }));
  }

  private void cancel(HttpConnection connection) {
    Long timer = timers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
