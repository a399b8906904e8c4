package io.ruqi.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * Decides who calls, for the HTTP routes that need it. With no tokens configured the service is open (the
 * caller is anonymous); with tokens, a request without a valid one is refused.
 */
public final class Authenticator {
  public static final String CALLER = "ruqi.caller";

  private final Tokens tokens;

  public Authenticator(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * The caller, or null when the request must be refused with 401 (the reason is then in {@link #why}).
   *
   * @param urlTokenAllowed whether {@code ?access_token=} counts (only for the event stream)
   */
  /** Whether a call needs a token (else every caller is the anonymous admin). */
  public boolean tokensRequired() {
    return tokens.enabled();
  }

  public Caller caller(RoutingContext rc, boolean urlTokenAllowed) {
    if (!tokens.enabled()) {
      return Caller.ANONYMOUS;
    }
    return tokens.authenticate(Credentials.of(rc.request(), urlTokenAllowed));
  }

  public String why(RoutingContext rc, boolean urlTokenAllowed) {
    if (Credentials.of(rc.request(), urlTokenAllowed) != null) {
      return "the token was not accepted";
    }
    return !urlTokenAllowed && Credentials.urlToken(rc.request()) != null
        ? "a token in the URL (access_token) is accepted only by /ruqi/events: send Authorization: Bearer <token>"
        : "a token is needed: send Authorization: Bearer <token>";
  }
}
