package io.ruqi.schedule;

import io.ruqi.store.FireRef;
import io.ruqi.store.RunningFire;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldFiresTest {
  static final Instant T = Instant.parse("2026-11-21T12:00:10Z");
  static final RunningFire A = new RunningFire("a", T, "me", null);
  static final RunningFire B = new RunningFire("b", T, "me", T);

  @Test
  void a_row_is_an_orphan_once_found_unheld_at_two_looks_running() {
    HeldFires held = new HeldFires();
    assertEquals(List.of(), held.orphans(List.of(A, B), Set.of()), "once may be a claim being answered");
    assertEquals(List.of(A, B), held.orphans(List.of(A, B), Set.of()));
  }

  @Test
  void rows_held_or_ended_here_are_never_orphans() {
    HeldFires held = new HeldFires();
    held.hold(new FireRef("a", T));
    Set<FireRef> ended = Set.of(new FireRef("b", T));
    held.orphans(List.of(A, B), ended);
    assertEquals(List.of(), held.orphans(List.of(A, B), ended));
  }

  @Test
  void a_row_held_between_two_looks_starts_over() {
    HeldFires held = new HeldFires();
    held.orphans(List.of(A), Set.of());
    held.hold(new FireRef("a", T));
    held.orphans(List.of(A), Set.of());
    held.release(new FireRef("a", T));
    assertEquals(List.of(), held.orphans(List.of(A), Set.of()), "not unheld at two looks running");
    assertEquals(List.of(A), held.orphans(List.of(A), Set.of()));
  }

  @Test
  void holds_are_counted_so_a_second_release_of_one_fire_does_not_drop_the_first_hold() {
    HeldFires held = new HeldFires();
    FireRef a = new FireRef("a", T);
    held.hold(a);
    held.hold(a);
    held.release(a);
    assertTrue(held.holds(a));
    held.release(a);
    assertFalse(held.holds(a));
    held.release(a);
    assertEquals(0, held.size());
  }
}
