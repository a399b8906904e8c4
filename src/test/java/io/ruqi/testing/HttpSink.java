package io.ruqi.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that records what it is sent and answers {@code {"stat":"OK"}}; paths under
 * {@code /fail} answer 500, and a path under {@code /flaky} answers 500 the first time only.
 */
public final class HttpSink implements AutoCloseable {

  public record Request(String method, String path, JsonObject headers, String body) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public HttpSink() {
    vertx = Vertx.vertx();
    server = TestNode.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      requests.add(new Request(req.method().name(), req.path(), headers, body.toString()));
      boolean firstFlaky = req.path().startsWith("/flaky")
          && requests.stream().filter(r -> r.path().equals(req.path())).count() == 1;
      if (req.path().startsWith("/fail") || firstFlaky) {
        req.response().setStatusCode(500).end("{\"stat\":\"ERR\"}");
      } else {
        req.response().putHeader("content-type", "application/json").end("{\"stat\":\"OK\"}");
      }
    })).listen(0, "127.0.0.1"));
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  @Override
  public void close() {
    TestNode.await(vertx.close());
  }
}
