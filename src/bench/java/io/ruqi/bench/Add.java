package io.ruqi.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * add: {@code job_add} over HTTP/1.1 keep-alive from 16 concurrent clients (each sends its next request when the
 * previous answer is in); with two nodes, half the clients talk to each (as behind a load balancer). A warm-up
 * ({@code --warm-s}, 60 s), then a measured window: jobs added per second and the latency percentiles of the requests
 * that ended in it. After 30 s of warm-up, the pair's nodes (each taking half the adds, so compiling later) were
 * still compiling through most of the window: in JFR's per-thread CPU each one's C2 thread used as much CPU as its
 * event loop until 40 s after the start, and the event loop's CPU rose by half once it stopped.
 */
final class Add {
  static final int CLIENTS = 16;

  private Add() {
  }

  static void run(Deployment d, long warmMs, long measureMs, Report report) {
    String row = "add: job_add × 16 clients (jobs/s, p50/p99 ms)";
    Benchmark.log("%s — %s", d.label, row);
    d.reset();
    d.start(true, List.of());
    HttpClientAgent client = d.target.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CLIENTS));
    Stats latUs = new Stats();
    AtomicLong seq = new AtomicLong();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long t0 = System.currentTimeMillis();
    long from = t0 + warmMs;
    long until = from + measureMs;
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      int port = d.nodes.get(c % d.nodes.size()).httpPort;
      d.target.vertx.runOnContext(v -> loop(client, port, seq, from, until, latUs, ok, errors, done));
    }
    try {
      done.await(measureMs + warmMs + 60_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Sync.await(client.close());
    long stored = d.jobCount();
    d.stopNodes();
    double rate = ok.get() / (measureMs / 1000.0);
    JsonObject lat = latUs.summary("us");
    JsonObject data = new JsonObject().put("clients", CLIENTS).put("measured_ms", measureMs).put("ok", ok.get())
        .put("errors", errors.get()).put("jobs_per_s", Math.round(rate)).put("latency", lat)
        .put("requests_total", seq.get()).put("jobs_stored", stored);
    String cell = String.format("%,.0f, %.1f/%.1f", rate, lat.getLong("p50_us") / 1000.0,
        lat.getLong("p99_us") / 1000.0);
    if (errors.get() > 0) {
      cell += " (" + errors.get() + " errors)";
    }
    // #12's targets: 3,000/s embedded, 5,000/s one node on MariaDB, 4,000/s the pair
    int target = d.store == Deployment.Store.EMBEDDED ? 3_000 : d.nodeCount == 2 ? 4_000 : 5_000;
    report.add(new Result(d.label, row, cell, rate >= target && errors.get() == 0, data));
  }

  private static void loop(HttpClientAgent client, int port, AtomicLong seq, long from, long until, Stats latUs,
                           AtomicInteger ok, AtomicInteger errors, CountDownLatch done) {
    if (System.currentTimeMillis() >= until) {
      done.countDown();
      return;
    }
    long n = seq.incrementAndGet();
    Buffer body = new JsonObject().put("job_id", "add-" + n).put("job_name", "bench").put("job_trigger", "date")
        .put("rule", "2035-01-01 00:00:00").put("timezone", "UTC").put("cmd", Target.EVENTBUS_CMD).toBuffer();
    long started = System.nanoTime();
    client.request(HttpMethod.POST, port, "127.0.0.1", "/ruqi/job_add")
        .compose(req -> req.putHeader("content-type", "application/json").send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .recover(e -> Future.succeededFuture(-1))
        .onComplete(ar -> {
          long now = System.currentTimeMillis();
          if (now >= from && now < until) {
            if (ar.result() == 200) {
              ok.incrementAndGet();
              latUs.add((System.nanoTime() - started) / 1000);
            } else {
              errors.incrementAndGet();
            }
          }
          loop(client, port, seq, from, until, latUs, ok, errors, done);
        });
  }
}
