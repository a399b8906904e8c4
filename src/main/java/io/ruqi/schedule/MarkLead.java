package io.ruqi.schedule;

import java.time.Duration;

/**
 * How long before its start a fire claimed ahead is marked started: long enough that the mark's round trip is over
 * when the fire is due (else the run starts late), and no longer, since a node that dies after a mark and before
 * the run leaves that fire cut off, never run (at most once). Estimated as TCP estimates its retransmission timeout
 * (RFC 6298): a smoothed mark time plus four times its mean deviation, so the lead follows a busy database up and a
 * quiet one down within a few marks, and covers all but the rare slow mark. Until a mark has been timed, the
 * most. Not thread-safe: confined to the scheduler's event loop.
 */
final class MarkLead {
  private final double minMs;
  private final double maxMs;
  private double smoothedMs = -1;
  private double deviationMs;

  MarkLead(Duration min, Duration max) {
    this.maxMs = max.toNanos() / 1e6;
    this.minMs = Math.min(min.toNanos() / 1e6, maxMs);
  }

  /** A mark took {@code nanos} from sent to answered. */
  void took(long nanos) {
    double ms = nanos / 1e6;
    if (smoothedMs < 0) {
      smoothedMs = ms;
      deviationMs = ms / 2;
      return;
    }
    deviationMs += (Math.abs(smoothedMs - ms) - deviationMs) / 4;
    smoothedMs += (ms - smoothedMs) / 8;
  }

  Duration lead() {
    double ms = smoothedMs < 0 ? maxMs : Math.max(minMs, Math.min(maxMs, smoothedMs + 4 * deviationMs));
    return Duration.ofNanos((long) (ms * 1e6));
  }
}
