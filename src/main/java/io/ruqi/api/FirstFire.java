package io.ruqi.api;

import io.ruqi.schedule.Trigger;

import java.time.Duration;
import java.time.Instant;

/**
 * When a newly added, modified or resumed job fires first. A one-shot date may lie up to the misfire grace in
 * the past (it then fires at once, as RuQi did); further back it would only ever be "missed", so it is refused.
 */
final class FirstFire {

  private FirstFire() {
  }

  static Instant of(Trigger trigger, Duration grace, Instant now) {
    if ("date".equals(trigger.type())) {
      return trigger.next(now.minus(grace).minusMillis(1)).orElseThrow(() -> ApiException.invalid(
          "rule: " + trigger.rule() + " is in the past (more than " + grace.toSeconds()
              + " s ago, the misfire grace), so it would never run"));
    }
    return trigger.next(now).orElseThrow(() -> ApiException.invalid(
        "the job would never fire again: no time matches rule '" + trigger.rule() + "' after now"
            + " within its start_date/end_date"));
  }
}
