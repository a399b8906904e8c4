package io.ruqi.store;

import java.util.Locale;

/** What became of a fire; the value of the history's {@code status} column. */
public enum RunStatus {
  SUCCESS, FAILED, TIMEOUT,
  /** Later than its misfire grace: never run. */
  MISSED,
  /** Not run: the job had max_instances fires running, or the fire was coalesced into a later one. */
  SKIPPED,
  /** Its node stopped or died while it ran. */
  INTERRUPTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromWire(String s) {
    for (RunStatus v : values()) {
      if (v.wire().equals(s)) {
        return v;
      }
    }
    return null;
  }
}
