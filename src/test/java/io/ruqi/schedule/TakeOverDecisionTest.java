package io.ruqi.schedule;

import io.ruqi.config.Delivery;
import io.ruqi.config.JobDefaults;
import io.ruqi.exec.Command;
import io.ruqi.store.RunningFire;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.ruqi.schedule.TakeOverDecision.INTERRUPTED;
import static io.ruqi.schedule.TakeOverDecision.MISSED;
import static io.ruqi.schedule.TakeOverDecision.RUN;
import static io.ruqi.schedule.TakeOverDecision.RUN_AGAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TakeOverDecisionTest {
  static final Instant FIRE = Instant.parse("2026-11-21T12:00:10Z");
  static final RunningFire UNSTARTED = new RunningFire("j", FIRE, "dead", null);
  static final RunningFire STARTED = new RunningFire("j", FIRE, "dead", FIRE);

  static JobPolicy policy(Delivery delivery) {
    JsonObject options = new JsonObject().put("misfire_grace_time", 30);
    if (delivery != null) {
      options.put("delivery", delivery.wire());
    }
    return JobPolicy.of(options, new Command.Process(List.of("true")), JobDefaults.ruqi());
  }

  @Test
  void within_its_grace_an_unstarted_fire_runs_and_a_cut_one_runs_again_only_at_least_once() {
    Instant now = FIRE.plusSeconds(30);
    assertEquals(RUN, TakeOverDecision.of(UNSTARTED, policy(null), now));
    assertEquals(INTERRUPTED, TakeOverDecision.of(STARTED, policy(null), now), "at most once by default");
    assertEquals(INTERRUPTED, TakeOverDecision.of(STARTED, policy(Delivery.AT_MOST_ONCE), now));
    assertEquals(RUN_AGAIN, TakeOverDecision.of(STARTED, policy(Delivery.AT_LEAST_ONCE), now));
  }

  @Test
  void past_its_grace_or_without_its_job_a_fire_is_ended_not_run() {
    Instant late = FIRE.plusSeconds(30).plusMillis(1);
    assertEquals(MISSED, TakeOverDecision.of(UNSTARTED, policy(null), late));
    assertEquals(INTERRUPTED, TakeOverDecision.of(STARTED, policy(Delivery.AT_LEAST_ONCE), late));
    assertEquals(MISSED, TakeOverDecision.of(UNSTARTED, null, FIRE), "the job has been removed");
    assertEquals(INTERRUPTED, TakeOverDecision.of(STARTED, null, FIRE));
  }

  @Test
  void the_service_default_applies_to_jobs_that_name_no_delivery() {
    JobDefaults d = JobDefaults.ruqi();
    JobDefaults atLeastOnce = new JobDefaults(d.misfireGraceTime(), d.coalesce(), d.maxInstances(),
        d.processTimeout(), d.httpTimeout(), d.retries(), d.retryBackoff(), d.jitter(), Delivery.AT_LEAST_ONCE,
        d.keepDone());
    JobPolicy p = JobPolicy.of(new JsonObject(), new Command.Process(List.of("true")), atLeastOnce);
    assertEquals(RUN_AGAIN, TakeOverDecision.of(STARTED, p, FIRE));
    JobPolicy own = JobPolicy.of(new JsonObject().put("delivery", "at_most_once"), new Command.Process(List.of("true")),
        atLeastOnce);
    assertEquals(INTERRUPTED, TakeOverDecision.of(STARTED, own, FIRE), "a job's own choice wins");
  }
}
