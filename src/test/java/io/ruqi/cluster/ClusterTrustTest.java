package io.ruqi.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.ruqi.config.ClusterSettings;
import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestPorts;
import io.ruqi.testing.TestNode;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.EventBusImpl;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, item 3: who may join the cluster, call the event-bus API, and name the caller. One clustered node
 * (a real {@link TestNode}) and, beside it, a peer with the secret, a member and a client without it, and raw
 * connections to its two ports.
 */
class ClusterTrustTest {
  private static final String SECRET = "cluster-trust-test-secret";
  private static TestNode node;
  private static Vertx local;
  private static int nodePort;
  private static int peerPort;

  @BeforeAll
  static void startNode() throws IOException {
    nodePort = freePort();
    peerPort = freePort();
    node = TestNode.startRealTime(new JsonObject().put("cluster", new JsonObject().put("enabled", true)
        .put("host", "127.0.0.1").put("port", nodePort).put("members", members()).put("secret", SECRET)));
    local = Vertx.vertx();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
    if (local != null) {
      TestNode.await(local.close());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  void a_peer_with_the_secret_calls_the_api_and_is_audited_as_eventbus_whatever_its_headers_say() {
    Vertx peer = TestNode.await(ClusteredVertx.start(settings(peerPort, SECRET)));
    try {
      JsonObject reply = requestWhenSubscribed(peer, "ruqi.job_add", job("from-peer"),
          new DeliveryOptions().addHeader("ruqi-caller", "admin"));
      assertEquals("OK", reply.getString("stat"), reply.encode());
      assertEquals("eventbus", auditActor("from-peer"), "a header that a peer sets never names the caller");
    } finally {
      TestNode.await(peer.close());
    }
    // the HTTP bridge still passes the caller it authenticated
    assertEquals(200, node.http.post("/ruqi/job_add", job("from-http")).status());
    assertEquals("anonymous", auditActor("from-http"));
  }

  @Test
  void a_member_without_the_secret_cannot_join_and_its_calls_reach_no_node() throws IOException {
    reachesNoNode(settings(freePort(), "another-secret-of-some-length"), "from-rogue");
  }

  @Test
  void a_member_with_the_secret_but_another_cluster_name_does_not_join() throws IOException {
    ClusterSettings named = RuqiConfig.from(new JsonObject().put("cluster", new JsonObject().put("enabled", true)
        .put("name", "ruqi-other").put("port", freePort()).put("members", new JsonArray().add("127.0.0.1:" + nodePort))
        .put("secret", SECRET))).cluster();
    assertEquals("ruqi-other", named.name(), "cluster.name");
    reachesNoNode(named, "from-other");
  }

  /** A member started with {@code settings} stays alone in a cluster of its own, and its job_add finds no handler. */
  private static void reachesNoNode(ClusterSettings settings, String jobId) {
    Vertx outsider = TestNode.await(ClusteredVertx.start(settings));
    try {
      assertEquals(1, clusterNodes(), "the node is still alone in its cluster");
      assertEquals(1, ((VertxInternal) outsider).clusterManager().getNodes().size(), "and the outsider in its own");
      Throwable failure = assertThrows(IllegalStateException.class, () -> TestNode.await(outsider.eventBus()
          .request("ruqi.job_add", job(jobId), new DeliveryOptions().setSendTimeout(5_000))));
      assertTrue(rootCause(failure) instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS,
          "no handler is known to the outsider: " + failure);
    } finally {
      TestNode.await(outsider.close());
    }
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=" + jobId).stat());
  }

  @Test
  void a_hazelcast_client_without_the_secret_is_refused() {
    ClientConfig client = new ClientConfig().setClusterName("ruqi");
    client.setProperty("hazelcast.logging.type", "slf4j");
    client.getNetworkConfig().addAddress("127.0.0.1:" + hazelcast().getCluster().getLocalMember().getAddress().getPort());
    client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
    // with only the cluster's name, a client could read and rewrite __vertx.subs and so take over an address
    assertThrows(IllegalStateException.class, () -> HazelcastClient.newHazelcastClient(client).shutdown());
  }

  @Test
  void the_event_bus_takes_a_message_only_over_tls_with_the_secrets_key() throws Exception {
    int bus = eventBusPort();
    MultiMap asAdmin = MultiMap.caseInsensitiveMultiMap().add("ruqi-caller", "admin");

    // the wire protocol in plain TCP, and over TLS with the key of another secret (trusting any server, as an
    // attacker would): the node closes the connection and delivers nothing
    String otherSecret = "another-secret-of-some-length";
    sendAndExpectClosed(local.createNetClient(), connect(bus, false),
        frame("ruqi.job_add", job("plain-frame"), asAdmin));
    sendAndExpectClosed(local.createNetClient(busClient(otherSecret).setTrustAll(true)), connect(bus, true),
        frame("ruqi.job_add", job("wrong-key-frame"), asAdmin));

    // a node of another secret does not take this node for a peer either: it would send it nothing
    NetClient wrongKey = local.createNetClient(busClient(otherSecret));
    assertThrows(IllegalStateException.class, () -> TestNode.await(wrongKey.connect(connect(bus, true))));

    // the same frame over TLS with the secret's key is delivered: the refusals above were for want of the secret
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    Handler<DeliveryContext<Object>> interceptor = seen(delivered);
    node.vertx.eventBus().addInboundInterceptor(interceptor);
    try {
      sendWithTheKey(local.createNetClient(busClient(SECRET)), bus, frame("ruqi.job_add", job("tls-frame"), asAdmin),
          () -> delivered.contains("tls-frame"));
    } finally {
      node.vertx.eventBus().removeInboundInterceptor(interceptor);
    }
    TestNode.eventually(30, "the delivered frame adds its job (the add failed: see the node's log)",
        () -> "OK".equals(node.http.get("/ruqi/job_show?job_id=tls-frame").stat()));
    assertEquals("eventbus", auditActor("tls-frame"));
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=plain-frame").stat());
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=wrong-key-frame").stat());
  }

  @Test
  void hazelcast_and_the_event_bus_listen_on_cluster_host_only() throws IOException {
    int member = hazelcast().getCluster().getLocalMember().getAddress().getPort();
    int bus = eventBusPort();
    accepts("127.0.0.1", member);
    accepts("127.0.0.1", bus);
    // 127.0.0.2 is this machine too (Linux routes 127/8 to lo): a socket bound to every interface answers there
    refuses("127.0.0.2", member);
    refuses("127.0.0.2", bus);
  }

  @Test
  void a_member_collects_no_hazelcast_metrics_nobody_reads() {
    // ruqi has /metrics; Hazelcast's own feed only its Management Center, and cost each node JIT time in a burst
    assertFalse(hazelcast().getConfig().getMetricsConfig().isEnabled());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static JsonArray members() {
    return new JsonArray().add("127.0.0.1:" + nodePort).add("127.0.0.1:" + peerPort);
  }

  private static ClusterSettings settings(int port, String secret) {
    return new ClusterSettings(true, "ruqi", "127.0.0.1", port,
        List.of("127.0.0.1:" + nodePort, "127.0.0.1:" + peerPort), secret);
  }

  private static JsonObject job(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "trust").put("job_trigger", "cron")
        .put("rule", "0 0 3 1 1 *").put("cmd", "true");
  }

  private static String auditActor(String jobId) {
    JsonArray rows = node.http.post("/ruqi/audit_list", new JsonObject().put("job_id", jobId)).json()
        .getJsonObject("data").getJsonArray("list");
    assertEquals(1, rows.size(), rows.encode());
    return rows.getJsonObject(0).getString("actor");
  }

  /** A peer learns of the node's consumers a moment after it joins: until then a request finds no handler. */
  private static JsonObject requestWhenSubscribed(Vertx from, String address, JsonObject body, DeliveryOptions options) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        Message<Object> reply = TestNode.await(from.eventBus().request(address, body, options));
        return (JsonObject) reply.body();
      } catch (IllegalStateException e) {
        boolean notYet = rootCause(e) instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
        if (!notYet || System.nanoTime() > deadline) {
          throw e;
        }
        TestNode.sleep(100);
      }
    }
  }

  private static Throwable rootCause(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e;
  }

  private static VertxInternal nodeVertx() {
    return (VertxInternal) node.vertx;
  }

  private static HazelcastInstance hazelcast() {
    return ((HazelcastClusterManager) nodeVertx().clusterManager()).getHazelcastInstance();
  }

  private static int clusterNodes() {
    return nodeVertx().clusterManager().getNodes().size();
  }

  private static int eventBusPort() {
    return nodeVertx().clusterManager().getNodeInfo().port();
  }

  /** What a node writes to another's event bus for {@code eventBus().send(address, body)}. */
  private static Buffer frame(String address, JsonObject body, MultiMap headers) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ClusteredMessage<JsonObject, JsonObject> message = new ClusteredMessage(UUID.randomUUID().toString(), address,
        headers, body, CodecManager.JSON_OBJECT_MESSAGE_CODEC, true, (EventBusImpl) local.eventBus());
    return message.encodeToWire();
  }

  private static ConnectOptions connect(int port, boolean tls) {
    return new ConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(tls);
  }

  /** A TCP client of a node's event bus as a node's own, with the TLS key of {@code secret}. */
  private static NetClientOptions busClient(String secret) {
    EventBusOptions bus = new EventBusOptions();
    EventBusTls.apply(bus, new ClusterSecret(secret));
    return new NetClientOptions(bus.toJson()).setHostnameVerificationAlgorithm("").setConnectTimeout(10_000);
  }

  /** Connects, writes {@code frame} and waits until the node has closed the connection. */
  private static void sendAndExpectClosed(NetClient client, ConnectOptions to, Buffer frame) throws Exception {
    NetSocket socket = TestNode.await(client.connect(to));
    CompletableFuture<Void> closed = new CompletableFuture<>();
    socket.closeHandler(v -> closed.complete(null));
    socket.write(frame);
    closed.get(30, TimeUnit.SECONDS);
  }

  /**
   * Writes {@code frame} over TLS with the secret's key until the node has delivered it. Only a connection that the
   * node closed before delivering is tried again, twice at most, and says so in the output (a guess at why it could:
   * a node too loaded to finish the TLS handshake within its timeout, 10 s by default, ends it); a frame that a
   * connection left open never delivers is a loss, and fails. A CI run under load once lost this frame without
   * saying which; a failure now says.
   */
  private static void sendWithTheKey(NetClient client, int bus, Buffer frame, BooleanSupplier delivered) {
    for (int attempt = 1; ; attempt++) {
      NetSocket tls = TestNode.await(client.connect(connect(bus, true)));
      AtomicBoolean closed = new AtomicBoolean();
      tls.closeHandler(v -> closed.set(true));
      tls.write(frame);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!delivered.getAsBoolean() && !closed.get() && System.nanoTime() < deadline) {
        TestNode.sleep(50);
      }
      if (delivered.getAsBoolean()) {
        tls.close();
        return;
      }
      assertTrue(closed.get(), "the node kept the connection open for 30 s and delivered nothing");
      assertTrue(attempt < 3, "the node closed the connection with the key " + attempt + " times, delivering nothing");
      System.out.println("[trust] the node closed a connection with the key before delivering its frame; again");
    }
  }

  /** Notes each job_add the node's event bus delivers, by job_id. */
  private static Handler<DeliveryContext<Object>> seen(Set<String> jobIds) {
    return delivery -> {
      // a frame from the wire is decoded by the message itself (the context's body is still null here)
      if ("ruqi.job_add".equals(delivery.message().address()) && delivery.message().body() instanceof JsonObject body) {
        jobIds.add(body.getString("job_id"));
      }
      delivery.next();
    };
  }

  private static void accepts(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 10_000);
      assertTrue(s.isConnected());
    }
  }

  private static void refuses(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(host, port), 10_000),
          host + ":" + port + " must not be listened on");
      assertFalse(s.isConnected());
    }
  }

  private static int freePort() throws IOException {
    return TestPorts.free();
  }
}
