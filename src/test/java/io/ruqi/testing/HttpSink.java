package io.ruqi.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 (or another loopback address) that records what it is sent and answers
 * {@code {"stat":"OK"}}; paths under {@code /fail} answer 500, a path under {@code /flaky} answers 500 the first
 * time only, and {@code /redirect/<status>?to=<url>} answers that redirect.
 */
public final class HttpSink implements AutoCloseable {

  public record Request(String method, String path, JsonObject headers, String body) {
  }

  private final String host;
  private final Vertx vertx;
  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public HttpSink() {
    this("127.0.0.1");
  }

  /** @param host a loopback address: Linux routes all of 127.0.0.0/8 to lo, so 127.0.0.2 is another host */
  public HttpSink(String host) {
    this.host = host;
    vertx = Vertx.vertx();
    server = TestNode.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      requests.add(new Request(req.method().name(), req.path(), headers, body.toString()));
      boolean firstFlaky = req.path().startsWith("/flaky")
          && requests.stream().filter(r -> r.path().equals(req.path())).count() == 1;
      if (req.path().startsWith("/redirect/")) {
        req.response().setStatusCode(Integer.parseInt(req.path().substring("/redirect/".length())))
            .putHeader("Location", req.getParam("to")).end();
      } else if (req.path().startsWith("/fail") || firstFlaky) {
        req.response().setStatusCode(500).end("{\"stat\":\"ERR\"}");
      } else {
        req.response().putHeader("content-type", "application/json").end("{\"stat\":\"OK\"}");
      }
    })).listen(0, host));
  }

  public String url(String path) {
    return "http://" + host + ":" + server.actualPort() + path;
  }

  @Override
  public void close() {
    TestNode.await(vertx.close());
  }
}
