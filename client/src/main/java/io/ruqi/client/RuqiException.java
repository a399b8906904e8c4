package io.ruqi.client;

/**
 * ruqi answered, and not {@code OK}: its {@code stat} (one of {@link Stat}) and its message say why; the request
 * changed nothing. A call that got no answer at all (no node serves the address yet, a timeout, a refused
 * connection) fails with Vert.x's own exception instead.
 */
public final class RuqiException extends RuntimeException {
  private final String stat;
  private final String reason;

  public RuqiException(String stat, String reason) {
    super(stat + ": " + reason, null, false, false);
    this.stat = stat;
    this.reason = reason;
  }

  /** One of {@link Stat}'s codes. */
  public String stat() {
    return stat;
  }

  /** The service's human message (its {@code msg}). */
  public String reason() {
    return reason;
  }
}
