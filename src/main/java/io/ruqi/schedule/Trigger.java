package io.ruqi.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A parsed, validated trigger: the answer to "when does this job fire next?".
 * Implementations are immutable and thread-safe, so one instance may be cached per job.
 */
public interface Trigger {

  /** {@code cron}, {@code interval} or {@code date}: RuQi's {@code job_trigger} values. */
  String type();

  /** The rule as listed and stored (RuQi's normalisation: intervals in whole seconds, e.g. {@code 3600s}). */
  String rule();

  ZoneId zone();

  /** The first fire strictly after {@code after}, within start/end dates; empty when the trigger never fires again. */
  Optional<Instant> next(Instant after);
}
