package io.ruqi.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for a job whose stored next fire is due, which fire runs now. Fires later than the misfire grace are
 * missed. Without coalescing the earliest fire still in grace runs and the schedule moves to the fire after it,
 * so a job that fell behind catches up one fire at a time; with coalescing the latest fire in grace runs and the
 * earlier ones are recorded as skipped. A job far behind (an outage) lists at most {@link #MAX_LISTED} missed
 * fires and counts the rest.
 */
public final class FirePlanner {
  public static final int MAX_LISTED = 1000;

  private FirePlanner() {
  }

  public static FirePlan plan(Trigger trigger, Instant storedNext, Instant now, Duration grace, boolean coalesce) {
    Instant deadline = now.minus(grace);
    List<Instant> missed = new ArrayList<>();
    long uncounted = 0;
    Instant fire = storedNext;
    while (fire != null && fire.isBefore(deadline)) {
      if (missed.size() == MAX_LISTED) {
        uncounted = countBefore(trigger, fire, deadline);
        fire = trigger.next(deadline.minusMillis(1)).orElse(null);
        break;
      }
      missed.add(fire);
      fire = trigger.next(fire).orElse(null);
    }
    List<Instant> inGrace = new ArrayList<>();
    while (fire != null && !fire.isAfter(now) && inGrace.size() < MAX_LISTED) {
      inGrace.add(fire);
      fire = coalesce ? trigger.next(fire).orElse(null) : null;
    }
    if (inGrace.isEmpty()) {
      return new FirePlan(null, fire, missed, List.of(), uncounted);
    }
    Instant run = inGrace.get(inGrace.size() - 1);
    if (!coalesce) {
      return new FirePlan(run, trigger.next(run).orElse(null), missed, List.of(), uncounted);
    }
    Instant next = fire != null && !fire.isAfter(now) ? trigger.next(now).orElse(null) : fire;
    return new FirePlan(run, next, missed, List.copyOf(inGrace.subList(0, inGrace.size() - 1)), uncounted);
  }

  /** Fires in [from, until), counted without listing them; capped so an absurd backlog cannot stall the loop. */
  private static long countBefore(Trigger trigger, Instant from, Instant until) {
    long n = 0;
    for (Instant t = from; t != null && t.isBefore(until) && n < 100_000; t = trigger.next(t).orElse(null)) {
      n++;
    }
    return n;
  }
}
