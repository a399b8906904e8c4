package io.ruqi.http;

import io.ruqi.api.ApiReply;
import io.ruqi.api.Stat;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Keeps web pages that the user happens to open from using ruqi through the user's browser. ruqi's API acts on any
 * method (RuQi's contract) and, on a default install, without a token, so any page could otherwise add and run
 * jobs: a cross-site form post, an {@code <img src=".../ruqi/add_job?...">}, a {@code fetch(..., {mode:
 * "no-cors"})}, or a page of a rebound DNS name. Browsers mark what they send, and scripts, curl and RuQi's clients
 * send none of these marks, so they are unaffected:
 * <ul>
 * <li>every request must name one of this service's hosts in {@code Host} (see {@link AllowedHosts}: DNS
 *     rebinding);</li>
 * <li>a request with an {@code Origin} must come from this service's own origin: browsers send Origin on every
 *     cross-origin POST and fetch. A page on another port of the same host is another origin;</li>
 * <li>a request with {@code Sec-Fetch-Site} must say {@code same-origin} or {@code none} (typed in the address
 *     bar): this is what catches an {@code <img>} or a link, which send no Origin. {@code same-site} is refused
 *     too, since it covers other ports of the same host.</li>
 * </ul>
 * A third wall, for browsers too old to send either mark on a form, is in {@link RequestParams}: a browser's body
 * must be JSON, which a cross-site form cannot send. The console is same-origin, so it passes all three.
 */
final class CrossSiteGuard {
  private final AllowedHosts hosts;

  CrossSiteGuard(AllowedHosts hosts) {
    this.hosts = hosts;
  }

  /** For every route except /health and /ready (they do and reveal nothing, and load balancers call them by IP). */
  void checkHost(RoutingContext rc) {
    HostAndPort authority = rc.request().authority();
    // no authority: HTTP/1.0 without Host, which no browser sends; a Host that does not parse is refused
    boolean allowed = authority == null ? !rc.request().headers().contains("Host") : hosts.allows(authority.host());
    if (!allowed) {
      HttpApiVerticle.send(rc, 403, ApiReply.error(Stat.ERR_FORBIDDEN, "refused: '"
          + shortened(rc.request().getHeader("Host"))
          + "' is not a name of this service (DNS rebinding?); an operator who reaches ruqi by this name lists it"
          + " in http.allowed_hosts"));
      return;
    }
    rc.next();
  }

  /** For the API, its event stream and /metrics. */
  void checkSameOrigin(RoutingContext rc) {
    String refusal = refusal(rc.request().headers(), rc.request().authority());
    if (refusal != null) {
      HttpApiVerticle.send(rc, 403, ApiReply.error(Stat.ERR_FORBIDDEN, refusal));
      return;
    }
    rc.next();
  }

  /** Why a browser request comes from a page that is not ruqi's own, or null when it does (or is no browser's). */
  String refusal(MultiMap headers, HostAndPort authority) {
    String origin = headers.get("Origin");
    if (origin != null && !sameOrigin(origin, ownAuthority(headers, authority))) {
      return "refused: a web page of another origin (" + shortened(origin) + ") may not call ruqi; use ruqi's"
          + " console, or call the API without a browser";
    }
    String site = headers.get("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return "refused: the browser says this request comes from a web page of another site (Sec-Fetch-Site: "
          + shortened(site) + "); use ruqi's console, or call the API without a browser";
    }
    return null;
  }

  /** True when a browser sent the request: only browsers send these marks (and they cannot be left out by pages). */
  static boolean fromBrowser(HttpServerRequest request) {
    MultiMap h = request.headers();
    return h.contains("Origin") || h.contains("Sec-Fetch-Site") || h.contains("Sec-Fetch-Mode");
  }

  /**
   * The origin the browser thinks it is talking to: a proxy that rewrites Host says the original in
   * X-Forwarded-Host. A page of another origin cannot set that header (it is not one a form or no-cors fetch may
   * send, and ruqi answers no CORS preflight), and the Host check does not read it.
   */
  private static HostAndPort ownAuthority(MultiMap headers, HostAndPort authority) {
    String forwarded = headers.get("X-Forwarded-Host");
    if (forwarded != null && !forwarded.isBlank()) {
      int comma = forwarded.indexOf(',');
      return HostAndPort.parseAuthority((comma < 0 ? forwarded : forwarded.substring(0, comma)).strip(), -1);
    }
    return authority;
  }

  /**
   * Host and port as the browser saw them; the scheme is not compared, since behind a TLS proxy the console's page
   * is https and ruqi's port http, and nothing but ruqi answers on ruqi's own host and port.
   */
  private boolean sameOrigin(String origin, HostAndPort authority) {
    if (authority == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return false; // "null" (sandboxed frames, file: pages, redirects) and anything else
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
    int ownPort = authority.port() < 0 ? defaultPort : authority.port();
    String originHost = AllowedHosts.normalized(uri.getHost());
    return originHost.equals(AllowedHosts.normalized(authority.host())) && originPort == ownPort
        && hosts.allows(originHost);
  }

  private static String shortened(String value) {
    String v = String.valueOf(value);
    return v.length() > 100 ? v.substring(0, 100) + "..." : v;
  }
}
