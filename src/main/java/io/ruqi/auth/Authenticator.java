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

  /** The caller, or null when the request must be refused with 401 (the reason is then in {@link #why}). */
  public Caller caller(RoutingContext rc) {
    if (!tokens.enabled()) {
      return Caller.ANONYMOUS;
    }
    return tokens.authenticate(Credentials.of(rc.request()));
  }

  public String why(RoutingContext rc) {
    return Credentials.of(rc.request()) == null
        ? "a token is needed: send Authorization: Bearer <token>"
        : "the token was not accepted";
  }
}
