package io.ruqi.schedule;

import java.time.Instant;
import java.util.List;

/**
 * What a scheduler does with a due job at one moment.
 *
 * @param runFire       the fire to run now, or null when every due fire is past its grace
 * @param nextRunTime   where the job's schedule moves to (null: no fire left)
 * @param missed        due fires past the misfire grace, to record as {@code missed}
 * @param coalesced     in-grace fires folded into {@code runFire} by coalescing, to record as {@code skipped}
 * @param missedUncounted further missed fires beyond the ones listed (a long outage of a frequent job)
 */
public record FirePlan(Instant runFire, Instant nextRunTime, List<Instant> missed, List<Instant> coalesced,
                       long missedUncounted) {
}
