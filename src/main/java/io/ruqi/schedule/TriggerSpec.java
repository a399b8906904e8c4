package io.ruqi.schedule;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What a user asked for: trigger type and rule text, the zone to read it in, and optional bounds.
 *
 * @param startDate no fire before it; for {@code interval} it is also the first fire (the grid's origin)
 * @param endDate   no fire after it (inclusive)
 */
public record TriggerSpec(String type, String rule, ZoneId zone, Instant startDate, Instant endDate) {

  public TriggerSpec(String type, String rule, ZoneId zone) {
    this(type, rule, zone, null, null);
  }
}
