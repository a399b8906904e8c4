package io.ruqi.auth;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Finds the token in a request: {@code Authorization: Bearer <token>}, RuQi's {@code Authorization: Bearer:
 * <token>}, HTTP Basic with the token as the password, or (for browsers' EventSource, which cannot send headers)
 * an {@code access_token} query parameter where the route allows it. A token in a URL ends up in access logs,
 * proxies' logs and browser history, so only the event stream, which has no other way, takes one.
 */
final class Credentials {

  private Credentials() {
  }

  static String of(HttpServerRequest request, boolean urlTokenAllowed) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      String h = header.strip();
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("bearer:")) {
        return h.substring("bearer:".length()).strip();
      }
      if (lower.startsWith("bearer ")) {
        return h.substring("bearer ".length()).strip();
      }
      if (lower.startsWith("basic ")) {
        return basicPassword(h.substring("basic ".length()).strip());
      }
      return null;
    }
    return urlTokenAllowed ? urlToken(request) : null;
  }

  static String urlToken(HttpServerRequest request) {
    try {
      return request.getParam("access_token");
    } catch (IllegalArgumentException e) {
      return null; // a query that is not valid URL encoding carries no token
    }
  }

  private static String basicPassword(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
