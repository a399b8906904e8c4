package io.ruqi.it;

import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worker nodes as separate processes of the packaged jar ({@code node.role: worker}), with an HA pair of schedulers
 * on a private MariaDB, all on loopback with their own cluster ports. Each worker's {@code exec.env} gives its
 * processes {@code WHO=<its name>}, which they print: where a run really ran is read from its own output, and the
 * history's {@code worker} column must agree.
 */
class WorkerIT {
  private static final String SECRET = "worker-it-" + UUID.randomUUID();

  private final List<HaNode> schedulers = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();
  private Path dir;
  private String storeUrl;
  private int[] cluster;

  /** A worker process: no HTTP, seen only through the schedulers' {@code scheduler_status}. */
  private final class Worker implements AutoCloseable {
    final String name;
    final RuqiProcess process;
    final List<ProcessHandle> orphans = new ArrayList<>();

    Worker(String name, int index, String labels) throws IOException {
      this.name = name;
      Map<String, String> env = clusterEnv(index);
      env.put("RUQI_NODE_NAME", name);
      env.put("RUQI_NODE_ROLE", "worker");
      env.put("RUQI_NODE_LABELS", labels);
      env.put("RUQI_EXEC_ENV", new JsonObject().put("WHO", name).encode());
      this.process = RuqiProcess.spawn(0, dir, env);
    }

    void signal(String signal) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.process.pid())).inheritIO()
          .start();
      assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** SIGKILL; the process groups it started live on, as in a real crash, and are ended at the test's end. */
    void kill9() throws InterruptedException {
      process.process.descendants().forEach(orphans::add);
      process.kill9();
    }

    @Override
    public void close() throws Exception {
      process.close();
      orphans.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createDirectories(Path.of("target", "worker-it",
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    storeUrl = MariaDbServer.shared().createDatabase("ruqi_workers_" + System.nanoTime());
    cluster = RuqiProcess.freePorts(5);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Worker w : workers) {
      try {
        w.close();
      } catch (Exception e) {
        System.err.println("closing " + w.name + ": " + e);
      }
    }
    for (HaNode n : schedulers) {
      try {
        n.close();
      } catch (Exception e) {
        System.err.println("closing " + n.name + ": " + e);
      }
    }
  }

  @Test
  @Timeout(300)
  void placement_broadcast_a_late_worker_and_kill_9_of_a_worker_and_of_a_scheduler() throws Exception {
    HaNode a = scheduler("sched-a", 0);
    HaNode b = scheduler("sched-b", 1);
    a.start();
    b.start();
    Worker w1 = worker("w1", 2, "gpu,eu");
    Worker w2 = worker("w2", 3, "eu");
    awaitWorkers(a, "w1", "w2");
    awaitWorkers(b, "w1", "w2");

    // placement by label, fired through either scheduler
    a.ok("job_add", job("gpu-job", "sh -c 'echo ran on $WHO'").put("run_on", "gpu"));
    for (HaNode through : List.of(a, b)) {
      JsonObject row = runAndWait(through, "gpu-job", 1).get(0);
      assertEquals("success", row.getString("status"), row.encode());
      assertEquals("ran on w1", row.getString("cmd_output"), "only w1 has gpu");
      assertEquals("w1", row.getString("worker"));
      assertEquals(through.name, row.getString("scheduler_name"));
    }

    // broadcast: one row per live worker with the label, for one fire
    b.ok("job_add", job("everywhere", "sh -c 'echo $WHO'").put("broadcast", "eu"));
    List<JsonObject> rows = runAndWait(b, "everywhere", 2);
    assertEquals(List.of("w1", "w2"), rows.stream().map(r -> r.getString("cmd_output")).sorted().toList());
    rows.forEach(r -> assertEquals(r.getString("cmd_output"), r.getString("worker"), r.encode()));
    assertEquals(1, rows.stream().map(r -> r.getString("fire_time")).distinct().count(), "one fire");

    // no live worker with the label: the fire is recorded failed, saying why
    a.ok("job_add", job("nowhere", "sh -c 'echo hi'").put("run_on", "tpu"));
    JsonObject none = runAndWait(a, "nowhere", 1).get(0);
    assertEquals("failed", none.getString("status"));
    assertEquals("not run: no live worker with label 'tpu'", none.getString("cmd_output"));

    // a worker kill -9ed mid-run: its run is recorded interrupted, naming it, within seconds; not run again
    a.ok("job_add", job("long", "sh -c 'echo $WHO; sleep 120'").put("run_on", "gpu").put("retries", 2));
    a.ok("job_run", new JsonObject().put("job_id", "long"));
    TestNode.eventually(30, "w1 runs it", () -> running(a, "w1") == 1);
    w1.kill9();
    TestNode.eventually(20, "the lost run is recorded", () -> history(a, "long").size() == 1);
    JsonObject lost = history(a, "long").getJsonObject(0);
    assertEquals("interrupted", lost.getString("status"), lost.encode());
    assertEquals("w1", lost.getString("worker"));
    assertTrue(lost.getString("cmd_output").startsWith("worker w1 was lost while it ran this"), lost.encode());
    TestNode.sleep(3_000);
    assertEquals(1, history(a, "long").size(), "an interrupted run is not retried: it may have done its work");

    // a worker that joins late gets the label's next fires
    Worker w3 = worker("w3", 4, "gpu");
    awaitWorkers(a, "w2", "w3");
    awaitWorkers(b, "w2", "w3");
    JsonObject late = runAndWait(b, "gpu-job", 1).get(0);
    assertEquals("ran on w3", late.getString("cmd_output"), late.encode());

    // a worker frozen (SIGSTOP) past the silence bound: its run is recorded interrupted; thawed, it is live again,
    // its process ends, and its late report adds nothing
    b.ok("job_add", job("frozen", "sh -c 'echo $WHO; sleep 10'").put("run_on", "eu"));
    b.ok("job_run", new JsonObject().put("job_id", "frozen"));
    TestNode.eventually(30, "w2 runs it", () -> running(b, "w2") == 1);
    w2.signal("STOP");
    try {
      TestNode.eventually(20, "the frozen worker's run is recorded", () -> history(b, "frozen").size() == 1);
    } finally {
      w2.signal("CONT");
    }
    JsonObject frozen = history(b, "frozen").getJsonObject(0);
    assertEquals("interrupted", frozen.getString("status"), frozen.encode());
    assertTrue(frozen.getString("cmd_output").startsWith("worker w2 was lost while it ran this"), frozen.encode());
    awaitWorkers(b, "w2", "w3");
    TestNode.eventually(30, "w2's process has ended", () -> running(b, "w2") == 0);
    TestNode.sleep(3_000);
    assertEquals(1, history(b, "frozen").size(), "the late report adds no row: " + history(b, "frozen").encode());

    // a scheduler kill -9ed while its worker runs a fire: the peer takes the fire over and records it interrupted;
    // the worker's report, to a scheduler gone, is dropped, and no second row appears
    a.ok("job_add", job("orphaned", "sh -c 'echo $WHO; sleep 8'").put("run_on", "gpu"));
    a.ok("job_run", new JsonObject().put("job_id", "orphaned"));
    TestNode.eventually(30, "w3 runs it", () -> running(b, "w3") == 1);
    a.kill9();
    TestNode.eventually(60, "the peer records the fire", () -> history(b, "orphaned").size() == 1);
    JsonObject taken = history(b, "orphaned").getJsonObject(0);
    assertEquals("interrupted", taken.getString("status"), taken.encode());
    TestNode.eventually(30, "w3 is done with it", () -> running(b, "w3") == 0);
    TestNode.sleep(3_000);
    assertEquals(1, history(b, "orphaned").size(), "one row for the fire: " + history(b, "orphaned").encode());
    assertTrue(w3.process.process.isAlive() && w2.process.process.isAlive());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private HaNode scheduler(String name, int index) throws IOException {
    Map<String, String> env = clusterEnv(index);
    env.put("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()));
    env.put("RUQI_STORE_URL", storeUrl);
    env.put("RUQI_NODE_NAME", name);
    env.put("RUQI_TIMEZONE", "UTC");
    env.put("RUQI_SCHEDULER_LEASE", "3");
    HaNode node = new HaNode(name, dir, env);
    schedulers.add(node);
    return node;
  }

  private Worker worker(String name, int index, String labels) throws IOException {
    Worker w = new Worker(name, index, labels);
    workers.add(w);
    return w;
  }

  private Map<String, String> clusterEnv(int index) {
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[index]));
    env.put("RUQI_CLUSTER_MEMBERS", IntStream.of(cluster).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(",")));
    env.put("RUQI_CLUSTER_SECRET", SECRET);
    return env;
  }

  private static JsonObject job(String id, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "workers").put("job_trigger", "interval")
        .put("rule", "1h").put("cmd", cmd);
  }

  /** Until the scheduler's live workers are exactly {@code names}. */
  private static void awaitWorkers(HaNode node, String... names) {
    List<String> want = List.of(names);
    TestNode.eventually(60, node.name + " hears " + want, () -> {
      List<String> seen = new ArrayList<>();
      workersOf(node).forEach(w -> seen.add(((JsonObject) w).getString("worker")));
      return seen.equals(want);
    });
  }

  private static JsonArray workersOf(HaNode node) {
    return node.status().getJsonArray("workers");
  }

  /** The runs a worker has, as {@code node} last heard. */
  private static int running(HaNode node, String worker) {
    for (Object w : workersOf(node)) {
      if (((JsonObject) w).getString("worker").equals(worker)) {
        return ((JsonObject) w).getInteger("running");
      }
    }
    return -1;
  }

  private static JsonArray history(HaNode node, String jobId) {
    return node.ok("job_history_list", new JsonObject().put("job_id", jobId)).getJsonObject("data")
        .getJsonArray("list");
  }

  /** Fires the job by hand through {@code node}; its {@code rows} newest rows once they are all there. */
  private static List<JsonObject> runAndWait(HaNode node, String jobId, int rows) {
    int before = history(node, jobId).size();
    node.ok("job_run", new JsonObject().put("job_id", jobId));
    TestNode.eventually(30, rows + " row(s) of " + jobId, () -> history(node, jobId).size() == before + rows);
    List<JsonObject> out = new ArrayList<>();
    history(node, jobId).forEach(r -> out.add((JsonObject) r));
    return out.subList(0, rows);
  }
}
