package io.ruqi.alert;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The streak gauges as events arrive (the whole node's counting is in http/MetricsTest). */
class FailureStreaksTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FailureStreaks streaks = new FailureStreaks(null, registry); // no bus: events are handed in

  void event(String name, String job, boolean last) {
    streaks.onEvent(new JsonObject().put("event", name).put("job_id", job).put("final", last));
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void retried_attempts_missed_and_skipped_fires_do_not_break_or_lengthen_a_streak() {
    event("fire_failed", "a", false); // a retry follows: not the fire's end
    event("fire_failed", "a", true);
    event("fire_missed", "a", true);
    event("fire_skipped", "a", true);
    event("fire_timeout", "a", true);
    event("fire_interrupted", "a", true);
    assertEquals(3.0, gauge("ruqi.failure.streak.max"));
    assertEquals(1.0, gauge("ruqi.jobs.failing"));
  }

  @Test
  void the_longest_streak_falls_back_to_the_next_when_its_job_succeeds_or_is_removed() {
    for (int i = 0; i < 5; i++) {
      event("fire_failed", "five", true);
    }
    for (int i = 0; i < 2; i++) {
      event("fire_failed", "two", true);
      event("fire_failed", "also-two", true);
    }
    assertEquals(5.0, gauge("ruqi.failure.streak.max"));
    assertEquals(3.0, gauge("ruqi.jobs.failing"));
    event("fire_succeeded", "five", true);
    assertEquals(2.0, gauge("ruqi.failure.streak.max"));
    event("job_removed", "two", true);
    assertEquals(2.0, gauge("ruqi.failure.streak.max"), "also-two still fails");
    event("fire_succeeded", "also-two", true);
    assertEquals(0.0, gauge("ruqi.failure.streak.max"));
    assertEquals(0.0, gauge("ruqi.jobs.failing"));
  }

  @Test
  void at_most_a_bounded_number_of_jobs_is_tracked() {
    for (int i = 0; i < FailureStreaks.MOST_TRACKED + 10; i++) {
      event("fire_failed", "job-" + i, true);
    }
    assertEquals(FailureStreaks.MOST_TRACKED, gauge("ruqi.jobs.failing"));
    event("fire_failed", "job-0", true);
    assertEquals(2.0, gauge("ruqi.failure.streak.max"), "a tracked job's streak still grows");
  }

  @Test
  void a_peers_streaks_are_taken_when_longer_and_never_for_a_job_whose_streak_ended_here_meanwhile() {
    event("fire_failed", "here", true);
    event("fire_succeeded", "ended", true); // its streak, in the peer's answer, ended here since
    streaks.learn("here", 3);
    streaks.learn("ended", 2);
    streaks.learn("there", 1);
    streaks.learn("here", 2); // shorter than what this node has now
    assertEquals(2.0, gauge("ruqi.jobs.failing"));
    assertEquals(3.0, gauge("ruqi.failure.streak.max"));
  }
}
