package io.ruqi.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FireRefTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00.123Z");

  @Test
  void the_id_is_the_job_and_the_fire_time_in_epoch_ms_and_reads_back() {
    FireRef fire = new FireRef("backup@eu", T);
    assertEquals("backup@eu@" + T.toEpochMilli(), fire.id());
    assertEquals(fire, FireRef.parse(fire.id()), "a job id may hold an @: the last one splits");
  }

  @Test
  void two_references_to_one_fire_are_equal_whatever_the_clock_gave_below_the_millisecond() {
    assertEquals(new FireRef("a", T), new FireRef("a", T.plusNanos(456_789)));
    assertTrue(Set.of(new FireRef("a", T)).contains(new FireRef("a", T.plusNanos(1))));
  }

  @Test
  void what_is_no_fire_id_is_refused() {
    for (String bad : new String[] {"job", "@123", "job@", "job@soon"}) {
      assertThrows(IllegalArgumentException.class, () -> FireRef.parse(bad), bad);
    }
  }
}
