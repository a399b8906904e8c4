package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * scale: 1,000,000 stored jobs (one-shot, due over the next 30 days) plus one job already due; one node with
 * -Xmx256m, not clustered (the first fire goes to the HTTP sink). Time from the process launch to that first fire,
 * job_list page latency (page 1 and a deep page, 15 rows each), heap in use after a forced GC.
 */
final class Scale {
  private Scale() {
  }

  static void run(Deployment d, int n, Report report) {
    Benchmark.log("%s — scale %,d jobs", d.label, n);
    d.reset();
    String http = d.target.httpCmd();
    long now = System.currentTimeMillis();
    List<JobRows.JobRow> rows = new ArrayList<>(n + 1);
    long span = 30L * 24 * 3600 * 1000;
    for (int i = 0; i < n; i++) {
      rows.add(new JobRows.JobRow("s-" + i, http, now + 3_600_000 + (long) ((double) i * span / n)));
    }
    long insertMs = JobRows.insert(d.pool(), rows);
    rows.clear();
    d.target.recorder.clear();
    JobRows.insert(d.pool(), List.of(new JobRows.JobRow("first-0", http, System.currentTimeMillis())));
    d.start(false, List.of("-Xmx256m"));
    Node node = d.nodes.get(0);
    long deadline = System.currentTimeMillis() + 60_000;
    Recorder.Series first = d.target.recorder.series("first");
    while (first.count() == 0 && System.currentTimeMillis() < deadline) {
      Sync.sleep(10);
    }
    JsonObject data = new JsonObject().put("jobs", n + 1).put("insert_ms", insertMs).put("ready_ms", d.lastStartMs);
    long firstFire = first.count() == 0 ? -1 : first.first() - node.launchedAt;
    data.put("first_fire_ms_after_launch", firstFire);
    Sync.sleep(2_000);
    // each list query slower than 0.2 s is logged with its plan: page 1,000 was fast in some runs, 2 s in others
    d.mariadbRoot("SET GLOBAL log_slow_verbosity = 'query_plan,explain'; SET GLOBAL long_query_time = 0.2;"
        + " SET GLOBAL slow_query_log = 1");
    JsonObject pages = new JsonObject();
    pages.put("page_1", pageLatency(node, 1, 10));
    pages.put("page_1000", pageLatency(node, 1000, 5));
    data.put("job_list", pages);
    data.put("slow_queries", slowQueries(d));
    data.put("heap", heapAfterGc(node));
    d.stopNodes();
    long heapMb = data.getJsonObject("heap").getLong("used_bytes", -1L) / (1024 * 1024);
    report.add(new Result(d.label, "scale 1M: heap after GC (MB)", heapMb + " MB", heapMb >= 0 && heapMb <= 256,
        data));
    report.add(new Result(d.label, "scale 1M: first fire after launch (s)",
        firstFire < 0 ? "none in 60 s" : String.format("%.1f s", firstFire / 1000.0),
        firstFire >= 0 && firstFire <= 5_000, data));
    report.add(new Result(d.label, "scale 1M: job_list page 1 / page 1000 (ms, median)",
        String.format("%d / %d", pages.getJsonObject("page_1").getLong("p50_ms"),
            pages.getJsonObject("page_1000").getLong("p50_ms")), null, data));
  }

  private static JsonObject pageLatency(Node node, int page, int times) {
    Stats ms = new Stats();
    int status = 0;
    for (int i = 0; i < times; i++) {
      long t = System.nanoTime();
      try {
        status = node.get("/ruqi/job_list?page_index=" + page + "&page_size=15").statusCode();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ms.add((System.nanoTime() - t) / 1_000_000);
    }
    return ms.summary("ms").put("status", status);
  }

  /** The slow query log of the page requests (MariaDB only), and the log switched off again. */
  private static String slowQueries(Deployment d) {
    String file = d.mariadbRoot("SET GLOBAL slow_query_log = 0; SELECT IF(@@slow_query_log_file LIKE '/%',"
        + " @@slow_query_log_file, CONCAT(@@datadir, @@slow_query_log_file))");
    if (file == null) {
      return null;
    }
    String path = file.strip().lines().reduce((a, b) -> b).orElse("").strip();
    try {
      return Files.exists(Path.of(path)) ? Files.readString(Path.of(path)) : "no slow query";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** jcmd GC.run, then the heap in use from /metrics (jvm_memory_used_bytes{area="heap"}, summed over pools). */
  static JsonObject heapAfterGc(Node node) {
    JsonObject out = new JsonObject();
    try {
      Process gc = new ProcessBuilder("jcmd", Long.toString(node.pid()), "GC.run").redirectErrorStream(true).start();
      gc.getInputStream().readAllBytes();
      gc.waitFor();
      Sync.sleep(500);
      String metrics = node.get("/metrics").body();
      long used = 0;
      for (String line : metrics.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      out.put("used_bytes", used);
      Process info = new ProcessBuilder("jcmd", Long.toString(node.pid()), "GC.heap_info").redirectErrorStream(true)
          .start();
      out.put("gc_heap_info", new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      info.waitFor();
    } catch (IOException e) {
      out.put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
