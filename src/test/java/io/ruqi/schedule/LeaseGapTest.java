package io.ruqi.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaseGapTest {
  private static final long MS = 1_000_000;
  private final LeaseGap gap = new LeaseGap(Duration.ofSeconds(3));

  @Test
  void a_renewal_after_more_than_a_lease_of_silence_tells_how_long_the_silence_was() {
    long t = 5_000 * MS;
    assertEquals(OptionalLong.empty(), gap.renewedAt(t), "the first renewal has nothing to compare with");
    assertEquals(OptionalLong.empty(), gap.renewedAt(t += 1_000 * MS), "a third of a lease apart");
    assertEquals(OptionalLong.empty(), gap.renewedAt(t += 3_000 * MS), "a whole lease is still renewed in time");
    assertEquals(OptionalLong.of(3_001), gap.renewedAt(t += 3_001 * MS), "past the lease: a stall");
    assertEquals(OptionalLong.empty(), gap.renewedAt(t + 1_000 * MS), "measured from the last renewal");
  }
}
