package io.ruqi.config;

import java.util.Locale;

/**
 * What a job's fire may cost when its node dies in the middle of it. A run whose node died is never known to have
 * reached its command, nor known not to have.
 */
public enum Delivery {
  /** The fire is recorded interrupted and never run again: it runs once or not at all (RuQi's behaviour). */
  AT_MOST_ONCE,
  /**
   * A peer (or the node, restarted) runs it again, with the same fire id and {@code Idempotency-Key}, within its
   * misfire grace: it runs at least once, perhaps twice, so its command must be idempotent.
   */
  AT_LEAST_ONCE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The delivery named {@code s} ({@code at_most_once}, {@code at_least_once}), or null. */
  public static Delivery fromWire(String s) {
    for (Delivery d : values()) {
      if (d.wire().equals(s)) {
        return d;
      }
    }
    return null;
  }
}
