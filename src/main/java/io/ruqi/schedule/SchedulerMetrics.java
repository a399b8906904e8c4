package io.ruqi.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ruqi.store.ClaimOutcome;
import io.ruqi.store.RunStatus;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduler's meters. Labels are few and fixed (a status, an outcome): never a job id, which would make one
 * time series per job.
 */
public final class SchedulerMetrics {
  private final MeterRegistry registry;
  private final Map<RunStatus, Counter> fires = new EnumMap<>(RunStatus.class);
  private final Map<ClaimOutcome, Counter> claims = new EnumMap<>(ClaimOutcome.class);
  private final Counter staleClaims;
  private final Counter readAheadRows;
  private final Timer runDuration;
  private final Timer lateness;
  private final Timer markedWait;

  public SchedulerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (RunStatus s : RunStatus.values()) {
      fires.put(s, Counter.builder("ruqi.fires").description("Fires by how they ended").tag("status", s.wire())
          .register(registry));
    }
    for (ClaimOutcome o : ClaimOutcome.values()) {
      claims.put(o, claims(o.name().toLowerCase()));
    }
    staleClaims = claims("stale");
    readAheadRows = Counter.builder("ruqi.read.ahead.rows")
        .description("Rows of due jobs read ahead from the store (a job held already is read, not built again)")
        .register(registry);
    runDuration = Timer.builder("ruqi.run.duration").description("How long runs took")
        .publishPercentileHistogram().register(registry);
    lateness = Timer.builder("ruqi.fire.lateness").description("Run start minus scheduled time")
        .publishPercentileHistogram()
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1))
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
        .register(registry);
    markedWait = Timer.builder("ruqi.fire.marked.wait")
        .description("Time a fire waits marked started before it starts: a crash then leaves it interrupted, unrun")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100))
        .register(registry);
  }

  private Counter claims(String outcome) {
    return Counter.builder("ruqi.claims").description("Claims by outcome (lost: another node or an edit won)")
        .tag("outcome", outcome).register(registry);
  }

  void fire(RunStatus status) {
    fires.get(status).increment();
  }

  void claim(ClaimOutcome outcome) {
    claims.get(outcome).increment();
  }

  void readAhead(int rows) {
    readAheadRows.increment(rows);
  }

  /** A peer's fires not claimed here: the store had them at another version already (the peer claimed them). */
  void staleClaims(int fires) {
    staleClaims.increment(fires);
  }

  void run(Duration duration) {
    runDuration.record(duration);
  }

  void late(Duration late) {
    lateness.record(late);
  }

  void markedWait(Duration wait) {
    markedWait.record(wait);
  }

  /** Gauges read the scheduler's own counters when scraped. */
  void gauges(Supplier<Number> heapSize, Supplier<Number> inFlight, Supplier<Number> historyQueue,
              Supplier<Number> clockSkewMs) {
    Gauge.builder("ruqi.scheduler.heap.size", heapSize).description("Fires read ahead and waiting")
        .register(registry);
    Gauge.builder("ruqi.scheduler.in.flight", inFlight).description("Runs in progress on this node")
        .register(registry);
    Gauge.builder("ruqi.history.queue", historyQueue).description("History rows waiting to be written")
        .register(registry);
    Gauge.builder("ruqi.clock.skew.ms", clockSkewMs).description("This node's clock minus the database's")
        .register(registry);
  }
}
