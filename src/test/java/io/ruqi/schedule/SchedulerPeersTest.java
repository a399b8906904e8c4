package io.ruqi.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerPeersTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void alone_a_node_prefers_every_job() {
    SchedulerPeers a = new SchedulerPeers("a");
    for (int i = 0; i < 100; i++) {
      assertTrue(a.prefers("job-" + i, T0));
    }
  }

  @Test
  void two_nodes_that_hear_each_other_split_the_jobs_between_them_without_overlap() {
    SchedulerPeers a = new SchedulerPeers("a:8585");
    SchedulerPeers b = new SchedulerPeers("b:8585");
    a.heard("b:8585", T0);
    b.heard("a:8585", T0);
    Map<String, Integer> share = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String job = "job-" + i;
      assertEquals(a.preferred(job, T0), b.preferred(job, T0), job);
      assertTrue(a.prefers(job, T0) ^ b.prefers(job, T0), job);
      share.merge(a.preferred(job, T0), 1, Integer::sum);
    }
    // sequential ids spread evenly, not all to one node
    assertTrue(share.get("a:8585") > 4_500 && share.get("b:8585") > 4_500, share.toString());
  }

  @Test
  void a_peer_that_left_or_went_silent_leaves_its_share_to_the_others() {
    SchedulerPeers a = new SchedulerPeers("a");
    a.heard("b", T0);
    String theirs = null;
    for (int i = 0; theirs == null; i++) {
      if (!a.prefers("job-" + i, T0)) {
        theirs = "job-" + i;
      }
    }
    assertFalse(a.prefers(theirs, T0.plus(SchedulerPeers.FORGET_AFTER)), "still heard from recently enough");
    assertTrue(a.prefers(theirs, T0.plus(SchedulerPeers.FORGET_AFTER).plusMillis(1)), "silent for too long");

    a.heard("b", T0);
    assertFalse(a.prefers(theirs, T0));
    a.left("b");
    assertTrue(a.prefers(theirs, T0), "said goodbye");
    assertEquals(1, a.size(T0));
  }

  @Test
  void a_node_never_counts_itself_twice() {
    SchedulerPeers a = new SchedulerPeers("a");
    a.heard("a", T0);
    assertEquals(1, a.size(T0));
  }
}
