package io.ruqi.it;

import io.ruqi.testing.FireLedger;
import io.ruqi.testing.FireLedger.Disruption;
import io.ruqi.testing.FireLedger.Kind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A chaos test's phases and what was done to the nodes and the database meanwhile, for the ledger and the report. */
final class ChaosTimeline {
  private final String tag;
  private final List<FireLedger.Phase> phases = new ArrayList<>();
  private final List<Disruption> disruptions = new ArrayList<>();
  private final List<FireLedger.Skew> skews = new ArrayList<>();
  private final long start = System.currentTimeMillis();
  private String current;
  private long currentFrom;

  /** {@code tag} starts each line printed, e.g. {@code [chaos]}. */
  ChaosTimeline(String tag) {
    this.tag = tag;
  }

  /** Ends the phase going on and begins {@code name}; answers when. */
  long begin(String name) {
    long now = end();
    current = name;
    currentFrom = now;
    System.out.printf("[%s] +%.1f s: %s%n", tag, (now - start) / 1000.0, name);
    return now;
  }

  long end() {
    long now = System.currentTimeMillis();
    if (current != null) {
      phases.add(new FireLedger.Phase(current, currentFrom, now));
      current = null;
    }
    return now;
  }

  void disruption(Kind kind, String node, long at, long until, String name) {
    disruptions.add(new Disruption(kind, node, at, until, name));
  }

  void skew(FireLedger.Skew skew) {
    skews.add(skew);
  }

  void into(FireLedger ledger) {
    phases.forEach(ledger::phase);
    disruptions.forEach(ledger::disruption);
    skews.forEach(ledger::skew);
  }

  String describe() {
    StringBuilder out = new StringBuilder();
    phases.forEach(p -> out.append(String.format("  %-46s %s .. %s (%.1f s)%n", p.name(),
        Instant.ofEpochMilli(p.fromMs()), Instant.ofEpochMilli(p.toMs()), (p.toMs() - p.fromMs()) / 1000.0)));
    disruptions.forEach(d -> out.append(String.format("  %-46s %s, back after %.1f s%n", d.name(),
        Instant.ofEpochMilli(d.atMs()), (d.untilMs() - d.atMs()) / 1000.0)));
    skews.forEach(s -> out.append(String.format("  %s clock %+d ms from %s to %s%n", s.node(), s.offsetMs(),
        Instant.ofEpochMilli(s.fromMs()), Instant.ofEpochMilli(s.toMs()))));
    return out.toString();
  }
}
