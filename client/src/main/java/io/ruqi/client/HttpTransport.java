package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The API over HTTP, through Vert.x's WebClient: each call is a POST of the JSON parameters to
 * {@code <base>/ruqi/<op>}; the events are the server-sent stream of {@code /ruqi/events}. The token goes in the
 * {@code Authorization} header only, never in a URL (where logs keep it), and no redirect is followed: ruqi's API
 * answers without one, so a redirect could only carry the token somewhere else.
 */
final class HttpTransport implements Transport {
  /** Longest silence on a call; the server answers a call it could not finish within 30 s with 504. */
  private static final long CALL_IDLE_MS = 60_000;
  /** The event stream sends a comment every 15 s at most: four times that without a byte is a dead connection. */
  private static final long STREAM_IDLE_MS = 60_000;
  /** ruqi's largest event is well under a kilobyte; a megabyte bounds what a wrong server can make us hold. */
  private static final int MAX_EVENT_CHARS = 1 << 20;

  private final String base;
  private final String authorization;
  private final HttpClientAgent http;
  private final WebClient web;

  HttpTransport(Vertx vertx, String baseUrl, String token) {
    this.base = checkedBase(baseUrl);
    this.authorization = token == null ? null : "Bearer " + checkedToken(token);
    this.http = vertx.createHttpClient();
    this.web = WebClient.wrap(http);
  }

  @Override
  public Future<JsonObject> call(String operation, JsonObject params) {
    String url = base + "/ruqi/" + operation;
    HttpRequest<Buffer> request = web.postAbs(url).followRedirects(false).idleTimeout(CALL_IDLE_MS);
    if (authorization != null) {
      request.putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization);
    }
    return request.sendJsonObject(params)
        .map(response -> Envelope.ok(json(response.body()), "HTTP " + response.statusCode() + " from " + url));
  }

  @Override
  public Future<Watch> events(Handler<JsonObject> handler) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + "/ruqi/events")
        .setFollowRedirects(false).setIdleTimeout(STREAM_IDLE_MS)
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
    if (authorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return http.request(options).compose(request -> request.send().compose(response -> {
      if (response.statusCode() != 200) {
        // a refusal (401, 403) is an envelope like any answer's
        return response.body().map(body -> {
          Envelope.ok(json(body), "HTTP " + response.statusCode() + " from " + options.getURI());
          throw new IllegalStateException("HTTP " + response.statusCode() + " from the event stream");
        });
      }
      return Future.succeededFuture(stream(request, response, handler));
    }));
  }

  private static Watch stream(HttpClientRequest request, HttpClientResponse response, Handler<JsonObject> handler) {
    Promise<Void> ended = Promise.promise();
    EventStreamReader reader = new EventStreamReader(handler, MAX_EVENT_CHARS);
    RecordParser lines = RecordParser.newDelimited("\n", response).maxRecordSize(MAX_EVENT_CHARS);
    lines.handler(line -> {
      try {
        reader.line(line.toString(StandardCharsets.UTF_8));
      } catch (EventStreamReader.TooLarge tooLarge) {
        ended.tryFail(tooLarge);
        request.reset();
      }
    });
    lines.exceptionHandler(e -> {
      ended.tryFail(e);
      request.reset();
    });
    lines.endHandler(v -> ended.tryFail("the event stream ended: the node stopped, or a proxy closed it"));
    return new Watch() {
      @Override
      public Future<Void> close() {
        ended.tryComplete();
        // the stream never ends by itself: closing its connection is how a client leaves it
        return request.reset().recover(e -> Future.succeededFuture());
      }

      @Override
      public Future<Void> ended() {
        return ended.future();
      }
    };
  }

  @Override
  public Future<Void> close() {
    // the WebClient wraps this HttpClient: closing the HttpClient closes both
    return http.close();
  }

  private static JsonObject json(Buffer body) {
    try {
      return body == null ? null : body.toJsonObject();
    } catch (DecodeException | ClassCastException notJson) {
      return null;
    }
  }

  private static String checkedBase(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String scheme = uri.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("ruqi's base URL must be http(s)://host[:port][/path], without user, query"
          + " or fragment (got '" + baseUrl + "')");
    }
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  private static String checkedToken(String token) {
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException("a token is one word of visible characters");
    }
    return token;
  }
}
