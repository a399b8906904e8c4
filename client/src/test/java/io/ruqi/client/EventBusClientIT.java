package io.ruqi.client;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The client over the event bus, in a Vert.x instance that joined the node's cluster with its secret. */
class EventBusClientIT extends ClientContract {
  private static RuqiNode node;
  private static Vertx member;

  @BeforeAll
  static void join() throws Exception {
    node = RuqiNode.shared();
    member = Await.result(ClusterPeer.join(List.of(node.member()), RuqiNode.SECRET));
    awaitApiSeen(RuqiClient.overEventBus(member));
  }

  @AfterAll
  static void leave() throws Exception {
    if (member != null) {
      Await.result(member.close());
    }
  }

  @Override
  Vertx vertx() {
    return member;
  }

  @Override
  RuqiClient client(Vertx vertx) {
    return RuqiClient.overEventBus(vertx);
  }

  @Test
  void a_call_from_the_cluster_is_audited_as_eventbus() {
    RuqiClient ruqi = client(member);
    String id = id("audited");
    Await.result(ruqi.add(JobSpec.interval(id, "1h", "true").name("audit")));
    JsonObject audit = Await.result(ruqi.call("audit_list", new JsonObject().put("job_id", id)));
    assertEquals("eventbus", audit.getJsonObject("data").getJsonArray("list").getJsonObject(0).getString("actor"));
    Await.result(ruqi.remove(id));
  }

  /** A member that has just joined learns of the node's addresses a moment later (the README says so too). */
  private static void awaitApiSeen(RuqiClient ruqi) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      Throwable failure = Await.failure(ruqi.show("no-such-job").map(job -> (Object) job));
      if (failure instanceof RuqiException) {
        return;
      }
      if (!(failure instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)
          || System.nanoTime() > deadline) {
        throw new AssertionError("the node's API is not seen from the cluster", failure);
      }
      Thread.sleep(100);
    }
  }
}
