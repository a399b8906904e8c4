package io.ruqi.store;

import java.time.Instant;

/**
 * A stored calendar: its name, its days as stored (a JSON array of text, see schema.sql), how many times it was
 * changed, and when it was created and last changed. A calendar removed and created again has a new {@code created},
 * so (version, created) names one content.
 */
public record CalendarRecord(String name, String days, long version, Instant created, Instant modified) {

  /** Whether {@code other} is the same content of the same calendar (what a node's copy is checked by). */
  public boolean sameVersion(CalendarRecord other) {
    return other != null && version == other.version && created.equals(other.created);
  }
}
