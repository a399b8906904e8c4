package io.ruqi.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ruqi.api.ApiException;
import io.ruqi.auth.Authenticator;
import io.ruqi.auth.Caller;
import io.ruqi.auth.Role;
import io.ruqi.config.HttpSettings;
import io.ruqi.config.RuqiConfig;
import io.ruqi.config.StatusCodes;
import io.ruqi.api.ApiOp;
import io.ruqi.api.ApiReply;
import io.ruqi.api.LocalCall;
import io.ruqi.api.Stat;
import io.ruqi.openapi.OpenApiDocument;
import io.ruqi.schedule.SchedulerBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP face of the API. It knows nothing of jobs: it reads the parameters, sends them to {@code ruqi.<op>} on
 * the event bus and writes the reply, with RuQi's headers ({@code x-reqid}, {@code x-cost}, {@code x-reason});
 * {@code /ready} asks the scheduler itself, through its bus contract ({@code schedule/SchedulerBus}).
 * Before any of that, in this order: security headers, well-formed escapes, the Host and same-origin checks
 * ({@link CrossSiteGuard}), the caller's token; around it, the connection's deadlines ({@link RequestDeadlines}).
 */
public final class HttpApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  public static final String VERSION = "0.1.0";
  private static final long API_TIMEOUT_MS = 30_000;
  private static final String API_PATH = "^/ruqi/([A-Za-z0-9_]+)/?$";
  private static final Pattern API_ROUTE = Pattern.compile(API_PATH);
  /** Set on a request for a RuQi operation: the status style its answers go out with. */
  private static final String ROUTE_STATUS = "ruqi-route-status";

  private final String host;
  private final int port;
  private final int bodyLimit;
  private final HttpSettings settings;
  private final CrossSiteGuard guard;
  private final PrometheusMeterRegistry registry;
  private final Authenticator auth;
  private final boolean metricsOpen;
  private final boolean tokensRequired;
  private HttpServer server;

  /** {@code auth} decides who calls: it is built by the composition root, from {@code auth.tokens}. */
  public HttpApiVerticle(RuqiConfig config, Authenticator auth, PrometheusMeterRegistry registry) {
    this.host = config.httpHost();
    this.port = config.httpPort();
    this.bodyLimit = config.httpBodyLimit();
    this.settings = config.http();
    this.registry = registry;
    this.auth = auth;
    this.tokensRequired = auth.tokensRequired();
    this.metricsOpen = config.auth().metricsOpen();
    this.guard = new CrossSiteGuard(AllowedHosts.of(config.http(), config.httpHost(), config.execBaseUrl()));
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().registerDefaultCodec(LocalCall.class, new LocalCall.Codec());
    Future<Buffer> openapi = vertx.executeBlocking(() -> OpenApiDocument.build(VERSION, tokensRequired, metricsOpen)
        .toBuffer());
    return Future.all(ConsoleFiles.load(vertx), openapi).compose(loaded -> {
      RequestDeadlines deadlines = new RequestDeadlines(vertx, settings.requestReadTimeout(), settings.idleTimeout());
      Router router = router(loaded.resultAt(0), loaded.resultAt(1), deadlines);
      // HTTP/1.1 only: no browser speaks cleartext HTTP/2, RuQi's clients do not, and one request per connection
      // at a time is what the request deadlines assume
      HttpServerOptions options = new HttpServerOptions()
          .setHttp2ClearTextEnabled(false)
          .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
      return vertx.createHttpServer(options)
          .connectionHandler(deadlines::opened)
          .requestHandler(request -> {
            deadlines.arrived(request);
            router.handle(request);
          })
          .listen(port, host);
    }).onSuccess(s -> server = s);
  }

  private Router router(ConsoleFiles console, Buffer openapi, RequestDeadlines deadlines) {
    Router router = Router.router(vertx);
    router.route().handler(rc -> {
      rc.put("start", System.nanoTime());
      rc.put("reqid", hex16(ThreadLocalRandom.current().nextLong()));
      if (isOperation(rc.request().path())) {
        rc.put(ROUTE_STATUS, settings.statusCodes());
      }
      SecurityHeaders.add(rc.response());
      HttpConnection connection = rc.request().connection();
      rc.addEndHandler(ar -> {
        if (ar.succeeded()) { // else the connection is gone, and its deadline with it
          deadlines.answered(connection);
        }
      });
      // before any route with a path: matching one decodes the path and the query, and a bad escape in either
      // logged a 56-line stack trace and answered a bare 400
      if (!RequestParams.validEscapes(rc.request().path()) || !RequestParams.validEscapes(rc.request().query())) {
        send(rc, 400, ApiReply.error(Stat.ERR_BAD_PARAMS, RequestParams.BAD_ESCAPE));
        return;
      }
      rc.next();
    });
    // before the Host check: load balancers call these by any name, and they do and reveal nothing
    router.get("/health").handler(rc -> send(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.route().handler(guard::checkHost);
    router.route("/ruqi/*").handler(guard::checkSameOrigin);
    router.route("/metrics").handler(guard::checkSameOrigin);
    router.get("/ruqi/events").handler(rc -> authorize(rc, Role.VIEWER, true))
        .handler(new EventStream(vertx, settings.idleTimeout())::handle);
    // a fire's output is read with the role that reads it in the history
    router.get("/ruqi/output").handler(rc -> authorize(rc, ApiOp.JOB_HISTORY_LIST.role(), true))
        .handler(new FireOutputStream(vertx)::handle);
    // who may call is decided on a route of its own, before the route that reads the body: nobody without a
    // token gets a body buffered (Vert.x puts body handlers first on any one route)
    router.routeWithRegex(API_PATH).handler(this::authorizeOp);
    router.routeWithRegex(API_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimit).setHandleFileUploads(false))
        .handler(this::bridge);
    Route metrics = router.get("/metrics");
    if (!metricsOpen) {
      metrics.handler(rc -> authorize(rc, Role.VIEWER, false));
    }
    metrics.handler(rc -> rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    // the API's description: no token, as for the console's files (it holds no secret, and the console's code
    // shows the API as much); the Host check above keeps a rebound DNS name from reading it
    router.get("/openapi.json").handler(rc -> rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(openapi));
    // Swagger UI's page loads its files relative to /docs/ (Vert.x matches /docs/ on this route too)
    router.get("/docs").handler(rc -> {
      if (rc.request().path().equals("/docs")) {
        rc.redirect("/docs/");
      } else {
        rc.next();
      }
    });
    // the web console, from the jar only; /main is RuQi's path for it
    router.route("/main").handler(rc -> rc.redirect("/"));
    router.route().handler(console::handle);
    router.route().last().handler(rc -> send(rc, 404,
        ApiReply.error(Stat.ERR_NOT_FOUND, "API Not Found: " + rc.request().path())));
    router.route().failureHandler(this::failure);
    return router;
  }

  /** A path of a RuQi operation, {@code /ruqi/<op>} (the event stream and unknown names are not). */
  private static boolean isOperation(String path) {
    Matcher m = API_ROUTE.matcher(path == null ? "" : path);
    return m.matches() && ApiOp.byName(m.group(1).toLowerCase(Locale.ROOT)) != null;
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void authorizeOp(RoutingContext rc) {
    ApiOp op = ApiOp.byName(rc.pathParam("param0").toLowerCase(Locale.ROOT));
    if (op == null) {
      send(rc, 404, ApiReply.error(Stat.ERR_NOT_FOUND, "API Not Found: " + rc.request().path()));
      return;
    }
    authorize(rc, op.role(), false);
  }

  /** 401 without a valid token, 403 when its role is not enough; else the caller is noted and the route goes on. */
  private void authorize(RoutingContext rc, Role needed, boolean urlTokenAllowed) {
    Caller caller = auth.caller(rc, urlTokenAllowed);
    if (caller == null) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"ruqi\"");
      send(rc, 401, ApiReply.error(Stat.ERR_UNAUTHORIZED, auth.why(rc, urlTokenAllowed)));
      return;
    }
    if (!caller.role().covers(needed)) {
      send(rc, 403, ApiReply.error(Stat.ERR_FORBIDDEN, "token '" + caller.name() + "' (" + caller.role().wire()
          + ") may not do this: it needs " + needed.wire()));
      return;
    }
    rc.put(Authenticator.CALLER, caller);
    rc.next();
  }

  private void bridge(RoutingContext rc) {
    String name = rc.pathParam("param0").toLowerCase(Locale.ROOT);
    JsonObject params;
    try {
      params = RequestParams.of(rc.request().query(), rc.request().getHeader(HttpHeaders.CONTENT_TYPE),
          rc.body().buffer(), CrossSiteGuard.fromBrowser(rc.request()));
    } catch (ApiException e) {
      send(rc, e.httpStatus(), ApiReply.error(e.stat(), e.getMessage()));
      return;
    }
    Caller caller = rc.get(Authenticator.CALLER);
    vertx.eventBus().<JsonObject>request(ApiOp.address(name), new LocalCall(caller.name(), params),
            new DeliveryOptions().setSendTimeout(API_TIMEOUT_MS).setLocalOnly(true))
        .onSuccess(reply -> send(rc, statusOf(reply), reply.body()))
        .onFailure(e -> unreachable(rc, e));
  }

  private static void unreachable(RoutingContext rc, Throwable e) {
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      // the HTTP face starts first and the API once the store answers (a database down at start is waited for)
      send(rc, 503, ApiReply.error(Stat.ERR_STORE_UNAVAILABLE, "the API is not running on this node: it waits for its store to start, or it is stopping"));
      return;
    }
    send(rc, unreachableStatus(e), ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "API Processing Exception: "
        + e.getMessage()));
  }

  /** Ready to serve: the scheduler runs and reaches the store. What a load balancer should check. */
  private void ready(RoutingContext rc) {
    vertx.eventBus().<JsonObject>request(SchedulerBus.STATUS, new JsonObject(),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_000))
        .onSuccess(reply -> {
          boolean storeOk = reply.body().getBoolean("store_ok", false);
          send(rc, storeOk ? 200 : 503, new JsonObject().put("status", storeOk ? "UP" : "DOWN")
              .put("checks", new JsonObject().put("scheduler", "UP").put("store", storeOk ? "UP" : "DOWN")));
        })
        .onFailure(e -> send(rc, 503, new JsonObject().put("status", "DOWN")
            .put("checks", new JsonObject().put("scheduler", "DOWN"))));
  }

  private static int statusOf(Message<JsonObject> reply) {
    String status = reply.headers().get(ApiReply.STATUS_HEADER);
    return status == null ? 200 : Integer.parseInt(status);
  }

  private static int unreachableStatus(Throwable e) {
    return e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT ? 504 : 503;
  }

  private void failure(RoutingContext rc) {
    int status = rc.statusCode() < 0 ? 500 : rc.statusCode();
    if (status >= 500) {
      // the path as the client sent it may hold anything: one safe line of it
      LOG.error("request {} failed", HeaderText.safe(String.valueOf(rc.request().path())), rc.failure());
    }
    if (status == 413) {
      // the rest of the body is not read: the connection cannot carry another request, and the client must know
      rc.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    JsonObject body = switch (status) {
      case 413 -> ApiReply.error(Stat.ERR_BAD_PARAMS, "the request body is larger than " + bodyLimit + " bytes");
      case 404 -> ApiReply.error(Stat.ERR_NOT_FOUND, "API Not Found: " + rc.request().path());
      case 400 -> ApiReply.error(Stat.ERR_BAD_PARAMS, "bad request");
      default -> status >= 500
          ? ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "API Processing Exception")
          : ApiReply.error(Stat.ERR, "request failed with HTTP " + status);
    };
    send(rc, status, body);
  }

  static void send(RoutingContext rc, int status, JsonObject body) {
    HttpServerResponse response = rc.response();
    if (response.ended()) {
      return;
    }
    long start = rc.get("start", System.nanoTime());
    StatusCodes style = rc.get(ROUTE_STATUS);
    response.setStatusCode(ReplyStatus.onTheWire(style, style != null, status))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader("ruqi", VERSION)
        .putHeader("x-reqid", String.valueOf(rc.<String>get("reqid")))
        .putHeader("x-cost", seconds6(System.nanoTime() - start));
    String msg = body.getString("msg");
    if (msg != null) {
      response.putHeader("x-reason", HeaderText.safe(msg));
    }
    response.end(body.toBuffer());
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown();
    return closed.onComplete(ar -> vertx.eventBus().unregisterDefaultCodec(LocalCall.class));
  }

  // String.format cost 5% of a job_add's CPU (JFR): these two run on every request

  /** Sixteen hex digits, zero-padded. */
  static String hex16(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()) + h;
  }

  /** Seconds with six decimals, as RuQi's x-cost. */
  static String seconds6(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    return micros / 1_000_000 + "." + Long.toString(1_000_000 + micros % 1_000_000).substring(1);
  }
}
