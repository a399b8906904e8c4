package io.ruqi.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkLeadTest {
  static final Duration MIN = Duration.ofMillis(10);
  static final Duration MAX = Duration.ofMillis(100);

  static long ms(double ms) {
    return (long) (ms * 1e6);
  }

  @Test
  void until_a_mark_is_timed_the_lead_is_the_most() {
    assertEquals(MAX, new MarkLead(MIN, MAX).lead());
  }

  @Test
  void steady_quick_marks_bring_the_lead_down_to_the_least_within_a_few_dozen_marks() {
    MarkLead lead = new MarkLead(MIN, MAX);
    for (int i = 0; i < 40; i++) {
      lead.took(ms(2));
    }
    assertEquals(MIN, lead.lead());
  }

  @Test
  void steady_slower_marks_give_a_lead_just_above_their_time_not_twice_it() {
    MarkLead lead = new MarkLead(MIN, MAX);
    for (int i = 0; i < 60; i++) {
      lead.took(ms(30));
    }
    long leadMs = lead.lead().toMillis();
    assertTrue(leadMs >= 30 && leadMs <= 33, "lead " + leadMs + " ms");
  }

  @Test
  void uneven_marks_widen_the_lead_to_cover_most_of_them_and_never_past_the_most() {
    MarkLead lead = new MarkLead(MIN, MAX);
    for (int i = 0; i < 60; i++) {
      lead.took(ms(i % 2 == 0 ? 10 : 30));
    }
    long leadMs = lead.lead().toMillis();
    assertTrue(leadMs >= 50 && leadMs <= 70, "about the mean (20) and four deviations (10): " + leadMs + " ms");
    for (int i = 0; i < 20; i++) {
      lead.took(ms(500));
    }
    assertEquals(MAX, lead.lead());
  }

  @Test
  void a_busy_database_raises_the_lead_at_once_and_a_quiet_one_lowers_it_again() {
    MarkLead lead = new MarkLead(MIN, MAX);
    for (int i = 0; i < 40; i++) {
      lead.took(ms(2));
    }
    lead.took(ms(60));
    assertTrue(lead.lead().toMillis() >= 50, "one slow mark: " + lead.lead().toMillis() + " ms");
    for (int i = 0; i < 40; i++) {
      lead.took(ms(2));
    }
    assertEquals(MIN, lead.lead());
  }
}
