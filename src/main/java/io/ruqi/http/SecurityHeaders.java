package io.ruqi.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * Headers on every response. The console lives on the origin whose API runs commands, so no other site may frame
 * it (clickjacking a Delete or Run button), and nothing ruqi sends is to be sniffed into another type or read by
 * another origin's {@code <script>}/{@code <img>}. The CSP is the console's own (its index.html has the same as a
 * meta tag, which cannot say frame-ancestors): everything from this origin, no inline script.
 */
final class SecurityHeaders {
  static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
      + " form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {
  }

  static void add(HttpServerResponse response) {
    response.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
  }
}
