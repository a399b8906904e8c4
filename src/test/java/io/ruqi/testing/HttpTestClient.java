package io.ruqi.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Talks to a node over its real HTTP port, as any client would. */
public final class HttpTestClient {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  public HttpTestClient(int port) {
    this.port = port;
  }

  public record Reply(int status, String text, HttpResponse<String> raw) {
    public JsonObject json() {
      return new JsonObject(text);
    }

    public String stat() {
      return json().getString("stat");
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  public Reply get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, null);
  }

  public Reply post(String path, JsonObject body) {
    return send("POST", path, body.encode(), "application/json");
  }

  public Reply send(String method, String pathAndQuery, String body, String contentType) {
    return send(method, pathAndQuery, body, contentType, Map.of());
  }

  /** With headers a browser would add ({@code Origin}, {@code Sec-Fetch-Site}); Host cannot be set here. */
  public Reply send(String method, String pathAndQuery, String body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }
}
