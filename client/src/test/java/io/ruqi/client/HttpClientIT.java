package io.ruqi.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client over HTTP with WebClient, from a Vert.x instance outside the cluster, with a bearer token. */
class HttpClientIT extends ClientContract {
  private static RuqiNode node;
  private static Vertx outside;

  @BeforeAll
  static void start() throws Exception {
    node = RuqiNode.shared();
    outside = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (outside != null) {
      Await.result(outside.close());
    }
  }

  @Override
  Vertx vertx() {
    return outside;
  }

  @Override
  RuqiClient client(Vertx vertx) {
    return RuqiClient.overHttp(vertx, node.baseUrl(), RuqiNode.ADMIN_TOKEN);
  }

  @Test
  void the_token_decides_what_a_caller_may_do() {
    RuqiClient viewer = RuqiClient.overHttp(outside, node.baseUrl(), RuqiNode.VIEWER_TOKEN);
    Await.result(viewer.list(null, 1, 15));
    RuqiException forbidden = Await.refusal(viewer.add(JobSpec.interval(id("viewer"), "1h", "true").name("v")));
    assertEquals(Stat.ERR_FORBIDDEN, forbidden.stat());

    RuqiClient anonymous = RuqiClient.overHttp(outside, node.baseUrl(), null);
    assertEquals(Stat.ERR_UNAUTHORIZED, Await.refusal(anonymous.list(null, 1, 15)).stat());
    RuqiClient wrong = RuqiClient.overHttp(outside, node.baseUrl(), "not-a-token-of-this-node-at-all");
    assertEquals(Stat.ERR_UNAUTHORIZED, Await.refusal(wrong.watchAll(event -> { })).stat());
  }

  @Test
  void a_redirect_is_not_followed_so_the_token_goes_nowhere_else() {
    List<String> reachedElsewhere = new CopyOnWriteArrayList<>();
    HttpServer elsewhere = Await.result(outside.createHttpServer().requestHandler(request -> {
      reachedElsewhere.add(request.method() + " " + request.uri() + " " + request.getHeader("Authorization"));
      request.response().end("{\"stat\":\"OK\",\"data\":{}}");
    }).listen(0, "127.0.0.1"));
    HttpServer redirecting = Await.result(outside.createHttpServer().requestHandler(request -> request.response()
        .setStatusCode(303).putHeader("Location", "http://127.0.0.1:" + elsewhere.actualPort() + request.uri())
        .end()).listen(0, "127.0.0.1"));
    try {
      RuqiClient ruqi = RuqiClient.overHttp(outside, "http://127.0.0.1:" + redirecting.actualPort(),
          RuqiNode.ADMIN_TOKEN);
      Throwable call = Await.failure(ruqi.show("any"));
      assertInstanceOf(IllegalStateException.class, call);
      assertTrue(call.getMessage().startsWith("HTTP 303 from"), call.getMessage());
      assertInstanceOf(IllegalStateException.class, Await.failure(ruqi.watchAll(event -> { })));
      assertEquals(List.of(), reachedElsewhere);
    } finally {
      Await.result(redirecting.close());
      Await.result(elsewhere.close());
    }
  }
}
