package io.ruqi.exec;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A request that goes only where {@code policy.http_hosts} allows, redirects included. The web client follows a
 * redirect to any host by itself, which let a job's server send ruqi on to a host the policy refuses; so following
 * is done here, one hop at a time, and each {@code Location} is checked before it is requested.
 *
 * <p>What is followed is what the web client followed before: a GET's and a HEAD's 301, 302, 303, 307 and 308 (the
 * same method again), and a POST's, PUT's, PATCH's or DELETE's 303 as a GET without a body, then that GET's; at
 * most {@link #MAX_REDIRECTS} of them. Any other method is never sent again by a 301, 302, 307 or 308 (the reply
 * with that status is the answer), so no redirect can make one fire's POST land twice.
 *
 * <p>Each hop connects to the host, port and scheme of the very {@link URI} that was checked, not to the URL text
 * parsed again by the web client's own parser: what is checked is what is connected to.
 */
public final class GuardedRequest {
  static final int MAX_REDIRECTS = 10;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final WebClient client;
  private final CommandPolicy policy;

  public GuardedRequest(WebClient client, CommandPolicy policy) {
    this.client = Objects.requireNonNull(client, "client");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** {@link #send} of a POST (alert webhooks). */
  public <T> Future<HttpResponse<T>> post(String url, MultiMap headers, Buffer body, long idleTimeoutMs,
                                          BodyCodec<T> codec) {
    return send(HttpMethod.POST, url, headers, body, idleTimeoutMs, codec);
  }

  /**
   * Sends {@code body} (null: none) to {@code url} with {@code method}; the URL must pass the policy like every
   * redirect after it. The future fails with a {@link CommandException} when the policy refuses a hop or there are
   * too many redirects.
   *
   * @param idleTimeoutMs bounds connecting and every silence of a server, per hop; the caller bounds the whole
   */
  public <T> Future<HttpResponse<T>> send(HttpMethod method, String url, MultiMap headers, Buffer body,
                                          long idleTimeoutMs, BodyCodec<T> codec) {
    try {
      URI uri = parse(url);
      return new Exchange<>(null, headers, idleTimeoutMs, codec).send(uri, options(uri), method, body, 0);
    } catch (CommandException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * As {@link #post}, to this service's own base URL plus {@code path} (RuQi's {@code /path} commands). That
   * origin is trusted (it is not a host of the policy); any other origin a redirect names must pass the policy. The
   * path is sent as written, as it always was: RuQi's paths may hold characters a strict URI parser refuses.
   */
  public <T> Future<HttpResponse<T>> postToSelf(String baseUrl, String path, MultiMap headers, Buffer body,
                                                long idleTimeoutMs, BodyCodec<T> codec) {
    try {
      URI base = parse(baseUrl);
      URI here = lenient(baseUrl + path, base);
      RequestOptions options = options(base).setURI(pathOf(base) + path);
      return new Exchange<>(origin(base), headers, idleTimeoutMs, codec)
          .send(here, options, HttpMethod.POST, body, 0);
    } catch (CommandException e) {
      return Future.failedFuture(e);
    }
  }

  /** One request and the redirects it is sent on, hop by hop. */
  private final class Exchange<T> {
    private final String trustedOrigin;
    private final MultiMap headers;
    private final long idleTimeoutMs;
    private final BodyCodec<T> codec;

    Exchange(String trustedOrigin, MultiMap headers, long idleTimeoutMs, BodyCodec<T> codec) {
      this.trustedOrigin = trustedOrigin;
      this.headers = headers;
      this.idleTimeoutMs = idleTimeoutMs;
      this.codec = codec;
    }

    /**
     * @param uri     where this hop goes, checked against the policy, and what a relative Location resolves against
     * @param options the same place, as the web client is to request it
     */
    Future<HttpResponse<T>> send(URI uri, RequestOptions options, HttpMethod method, Buffer body, int redirects) {
      if (!origin(uri).equals(trustedOrigin)) {
        policy.checkHost(uri);
      }
      HttpRequest<T> request = client.request(method, options).as(codec).followRedirects(false)
          .timeout(idleTimeoutMs).putHeaders(headers);
      Future<HttpResponse<T>> reply;
      if (body != null) {
        reply = request.sendBuffer(body);
      } else {
        request.headers().remove(HttpHeaders.CONTENT_TYPE);
        reply = request.send();
      }
      boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD;
      return reply.compose(response -> {
        String location = response.getHeader(HttpHeaders.LOCATION.toString());
        boolean follow = location != null && REDIRECTS.contains(response.statusCode())
            && (response.statusCode() == 303 || safe);
        if (!follow) {
          return Future.succeededFuture(response);
        }
        try {
          if (redirects >= MAX_REDIRECTS) {
            throw new CommandException("more than " + MAX_REDIRECTS + " redirects, the last to "
                + CommandParser.shorten(location));
          }
          URI next = resolve(uri, location);
          // a safe method is sent again as it was (a HEAD stays a HEAD); anything else goes on as a GET
          return next(next, safe ? method : HttpMethod.GET, redirects + 1);
        } catch (CommandException e) {
          return Future.failedFuture(e);
        }
      });
    }

    private Future<HttpResponse<T>> next(URI next, HttpMethod method, int redirects) {
      try {
        return send(next, options(next), method, null, redirects);
      } catch (CommandException e) {
        throw new CommandException("redirect to " + CommandParser.shorten(next.toString()) + " not followed: "
            + e.getMessage());
      }
    }
  }

  /** A Location, absolute or relative to the URL that answered it, as an http(s) URL with a host. */
  private static URI resolve(URI current, String location) {
    try {
      return parse(current.resolve(new URI(location)).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new CommandException("a redirect to an invalid Location: " + CommandParser.shorten(location));
    } catch (CommandException e) {
      throw new CommandException("a redirect to " + CommandParser.shorten(location) + ": " + e.getMessage());
    }
  }

  /** {@code text} as a URI when it is a strict one, else {@code fallback} (a relative Location then resolves there). */
  private static URI lenient(String text, URI fallback) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      return fallback;
    }
  }

  private static String pathOf(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new CommandException("not a valid URL: " + CommandParser.shorten(url) + " (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CommandException("not an http(s) URL: " + CommandParser.shorten(url));
    }
    if (uri.getHost() == null) {
      throw new CommandException("the URL has no host: " + CommandParser.shorten(url));
    }
    return uri;
  }

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":"
        + CommandPolicy.portOf(uri);
  }

  private static RequestOptions options(URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // an IPv6 literal
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new RequestOptions()
        .setHost(host)
        .setPort(CommandPolicy.portOf(uri))
        .setSsl("https".equalsIgnoreCase(uri.getScheme()))
        .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
  }
}
