package io.ruqi.config;

import java.time.Duration;

/**
 * The policies a job follows where it names none (RuQi's values: 30 s grace, no coalescing, one instance, 1 h
 * for a process, 90 s for an HTTP call, at most once, a job that will not fire again removed once its last fire is
 * recorded).
 *
 * @param keepDone keep a job that will not fire again (a fired one-shot) as {@code done}, instead of removing it
 */
public record JobDefaults(
    Duration misfireGraceTime,
    boolean coalesce,
    int maxInstances,
    Duration processTimeout,
    Duration httpTimeout,
    int retries,
    Duration retryBackoff,
    Duration jitter,
    Delivery delivery,
    boolean keepDone) {

  public static JobDefaults ruqi() {
    return new JobDefaults(Duration.ofSeconds(30), false, 1, Duration.ofHours(1), Duration.ofSeconds(90), 0,
        Duration.ofSeconds(10), Duration.ZERO, Delivery.AT_MOST_ONCE, false);
  }
}
