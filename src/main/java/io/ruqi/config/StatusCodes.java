package io.ruqi.config;

import java.util.Locale;

/**
 * Which HTTP status an answer of the RuQi routes ({@code /ruqi/<op>}) carries ({@code api.http_status}).
 */
public enum StatusCodes {
  /**
   * RuQi's: 200, whatever the {@code stat}, so that RuQi's clients (which drop any non-200 answer unread) see
   * {@code stat} and {@code x-reason}; only the statuses a proxy, a load balancer or a browser must act on are kept.
   */
  RUQI,
  /** REST codes for new clients: 400, 404, 409, 415, 500 beside the {@code stat} that says the same. */
  REST;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The style named {@code s} ({@code ruqi}, {@code rest}), or null. */
  public static StatusCodes fromWire(String s) {
    for (StatusCodes c : values()) {
      if (c.wire().equals(s)) {
        return c;
      }
    }
    return null;
  }
}
