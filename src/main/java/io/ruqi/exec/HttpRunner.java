package io.ruqi.exec;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@link Command.Http} ({@code http(s)://host/path#json}, or {@code GET http(s)://...} and the other methods)
 * and {@link Command.LocalPath} ({@code /path#json}, posted to this node's own HTTP base URL) as a JSON POST (or
 * the command's method) carrying the {@link FireHeaders}.
 *
 * <p>Every host it calls, redirects included, must pass {@code policy.http_hosts} (see {@link GuardedRequest}).
 *
 * <p>Success is a 2xx status and, when the reply is a JSON object with a {@code stat} field (RuQi's envelope),
 * {@code stat == "OK"}. Unlike RuQi, a non-JSON 2xx reply is a success, and a 200 {@code {"stat":"ERR"}} is not.
 */
public final class HttpRunner implements CommandRunner {

  private final GuardedRequest post;
  private final String localBaseUrl;

  /**
   * @param policy       checked again at each run (it may have tightened since the job was stored) and at each redirect
   * @param localBaseUrl this node's own HTTP base, e.g. {@code http://127.0.0.1:8585}; {@code /path} is appended
   */
  public HttpRunner(WebClient client, CommandPolicy policy, String localBaseUrl) {
    this.post = new GuardedRequest(client, policy);
    String base = Objects.requireNonNull(localBaseUrl, "localBaseUrl");
    this.localBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  @Override
  public Future<RunResult> run(Command command, FireContext fire) {
    if (command instanceof Command.Http http) {
      return send(HttpMethod.valueOf(http.method()), http.url(), null, http.body(), fire);
    }
    if (command instanceof Command.LocalPath local) {
      return send(HttpMethod.POST, localBaseUrl, local.path(), local.body(), fire);
    }
    return Future.succeededFuture(RunResult.failed("HttpRunner cannot run " + command.getClass().getSimpleName()));
  }

  /**
   * @param localPath null for an HTTP command's {@code url}; else a {@code /path} of this service at {@code url}
   * @param body      the JSON to send; null for a request without a body (GET, HEAD, DELETE)
   */
  private Future<RunResult> send(HttpMethod method, String url, String localPath, Object body, FireContext fire) {
    long timeoutMs = Math.max(1, fire.timeout().toMillis());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add(FireHeaders.JOB_ID, FireHeaders.safe(fire.jobId()))
        .add(FireHeaders.JOB_NAME, FireHeaders.safe(fire.jobName()))
        .add(FireHeaders.FIRE_TIME, fire.fireTime().toString())
        .add(FireHeaders.FIRE_ID, FireHeaders.safe(fire.fireId()))
        .add(FireHeaders.ATTEMPT, Integer.toString(fire.attempt()))
        .add(FireHeaders.IDEMPOTENCY_KEY, FireHeaders.safe(fire.fireId()));
    if (fire.parentFireId() != null) {
      headers.add(FireHeaders.PARENT_FIRE_ID, FireHeaders.safe(fire.parentFireId()));
    }
    Buffer json = body == null ? null : Buffer.buffer(Json.encode(body));
    // The idle timeout bounds connecting and every silence of the server (a server that never answers); the
    // future's timeout bounds the whole exchange, redirects included, so a server trickling bytes cannot keep the
    // run going past its timeout. (The web client drops its handle on the request once the reply has begun, so
    // such a connection is only freed when that server ends its reply; the body reader keeps memory bounded.)
    Future<HttpResponse<BoundedBody>> sent = localPath == null
        ? post.send(method, url, headers, json, timeoutMs, BoundedBody.codec())
        : post.postToSelf(url, localPath, headers, json == null ? Buffer.buffer("{}") : json, timeoutMs,
            BoundedBody.codec());
    String target = localPath == null ? url : url + localPath;
    return sent
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .transform(done -> Future.succeededFuture(done.succeeded()
            ? judge(done.result())
            : failure(done.cause(), method, target, timeoutMs)));
  }

  private static RunResult judge(HttpResponse<BoundedBody> response) {
    int status = response.statusCode();
    BoundedBody body = response.body();
    String text = body == null ? "" : body.text();
    if (status < 200 || status > 299) {
      return new RunResult(false, status, OutputCap.cap("HTTP " + status + ": " + text), false);
    }
    Object stat = body != null && body.complete() ? statOf(text) : null;
    if (stat != null && !"OK".equals(stat)) {
      return new RunResult(false, status, OutputCap.cap("stat " + stat + " in reply: " + text), false);
    }
    return new RunResult(true, status, OutputCap.cap(text), false);
  }

  /** The {@code stat} of a JSON-object reply; null when the reply is not a JSON object or has no {@code stat}. */
  private static Object statOf(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("{")) {
      return null;
    }
    try {
      JsonObject envelope = new JsonObject(trimmed);
      if (!envelope.containsKey("stat")) {
        return null;
      }
      Object stat = envelope.getValue("stat");
      return stat == null ? "null" : stat;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static RunResult failure(Throwable cause, HttpMethod method, String url, long timeoutMs) {
    String request = method.name() + " " + url;
    if (cause instanceof CommandException refused) {
      return RunResult.failed(OutputCap.cap(method + " " + CommandParser.shorten(url) + ": " + refused.getMessage()));
    }
    if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
      return new RunResult(false, null, "timed out after " + seconds(timeoutMs) + " s: " + request, true);
    }
    if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
      return RunResult.failed("connection refused: " + hostPort(url));
    }
    if (cause instanceof ConnectException) {
      return RunResult.failed("cannot connect to " + hostPort(url) + ": " + cause.getMessage());
    }
    if (cause instanceof UnknownHostException) {
      return RunResult.failed("unknown host: " + hostPort(url));
    }
    return RunResult.failed(request + " failed: " + cause);
  }

  /** {@code host:port} as the URL names it, with the scheme's default port when it names none. */
  private static String hostPort(String url) {
    try {
      URI uri = URI.create(url);
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return uri.getHost() + ":" + port;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  /** 2000 → "2", 1500 → "1.5". */
  static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000)
        : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }
}
