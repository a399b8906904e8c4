package io.ruqi;

import io.ruqi.alert.AlertNotifier;
import io.ruqi.alert.FailureStreaks;
import io.ruqi.api.ApiServices;
import io.ruqi.api.ApiVerticle;
import io.ruqi.api.JobChanges;
import io.ruqi.auth.Authenticator;
import io.ruqi.auth.Tokens;
import io.ruqi.config.RuqiConfig;
import io.ruqi.events.LiveOutputBus;
import io.ruqi.events.RuqiEvents;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.EventBusRunner;
import io.ruqi.exec.HttpRunner;
import io.ruqi.exec.ProcessEnvironment;
import io.ruqi.exec.ProcessRunner;
import io.ruqi.exec.Runners;
import io.ruqi.http.HttpApiVerticle;
import io.ruqi.schedule.SchedulerMetrics;
import io.ruqi.schedule.SchedulerVerticle;
import io.ruqi.store.HistoryRetention;
import io.ruqi.store.HistoryWriter;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** One running ruqi node on a Vert.x instance: the store, the API, its HTTP bridge and the scheduler. */
public final class RuqiNode {
  private static final Logger LOG = LoggerFactory.getLogger(RuqiNode.class);
  private final Vertx vertx;
  private final RuqiConfig config;
  private final Stores stores;
  private final Runners runners;
  private final SchedulerVerticle scheduler;
  private final WebClient webClient;
  private final HistoryRetention retention;
  private final AlertNotifier alerts;
  private final FailureStreaks streaks;
  private final HttpApiVerticle http;
  private final String name;
  private final List<String> deployments;

  private RuqiNode(Vertx vertx, RuqiConfig config, Stores stores, Runners runners, SchedulerVerticle scheduler,
                   WebClient webClient,
                   HistoryRetention retention, AlertNotifier alerts, FailureStreaks streaks, HttpApiVerticle http,
                   String name, List<String> deployments) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.runners = runners;
    this.scheduler = scheduler;
    this.webClient = webClient;
    this.retention = retention;
    this.alerts = alerts;
    this.streaks = streaks;
    this.http = http;
    this.name = name;
    this.deployments = deployments;
  }

  /**
   * {@code hostName} names the node when {@code node.name} is not set (as {@code host:port}). The HTTP face comes
   * first, so that {@code /health} answers (and {@code /ready} says 503) while the store is not there yet: a
   * database that cannot be reached at start is waited for ({@link StoreWait}), not a reason to exit.
   */
  public static Future<RuqiNode> start(NodeVertx nodeVertx, RuqiConfig config, Clock clock, String hostName) {
    Vertx vertx = nodeVertx.vertx();
    HttpApiVerticle http = new HttpApiVerticle(config, new Authenticator(new Tokens(config.auth().tokens())),
        nodeVertx.registry());
    return vertx.deployVerticle(http).compose(httpId -> {
      warnIfOpen(config);
      String name = config.nodeName() != null ? config.nodeName() : hostName + ":" + http.actualPort();
      return StoreWait.retry(vertx, () -> startOnStore(nodeVertx, config, clock, http, name))
          .map(node -> {
            node.deployments.add(0, httpId);
            return node;
          })
          .recover(e -> vertx.undeploy(httpId).transform(ignored -> Future.failedFuture(e)));
    });
  }

  /** Opens the store and starts what needs it; a failed attempt leaves nothing behind (it may be tried again). */
  private static Future<RuqiNode> startOnStore(NodeVertx nodeVertx, RuqiConfig config, Clock clock,
                                               HttpApiVerticle http, String name) {
    Vertx vertx = nodeVertx.vertx();
    return StoreFactory.open(vertx, config).compose(stores -> {
      List<String> deployed = new ArrayList<>();
      WebClient webClient = WebClient.create(vertx,
          new WebClientOptions().setKeepAlive(true).setUserAgent("ruqi/" + HttpApiVerticle.VERSION),
          new PoolOptions().setHttp1MaxSize(64));
      LiveOutputBus liveOutput = new LiveOutputBus(vertx.eventBus(), name, System::nanoTime);
      ProcessRunner processes = new ProcessRunner(vertx, Path.of(config.execWorkdir()), config.execAliases(),
          new ProcessEnvironment(System.getenv(), config.execEnv()), config.processConcurrency(), config.killGrace(),
          liveOutput);
      CommandPolicy policy = new CommandPolicy(config.policy());
      Runners runners = new Runners(processes,
          new HttpRunner(webClient, policy, baseUrl(config, http.actualPort())), new EventBusRunner(vertx));
      HistoryWriter history = new HistoryWriter(vertx, stores.history(), 500, 0, config.historyQueueLimit(),
          stores.history().concurrentWrites(), HistoryWriter.ROWS_PER_WRITE, nodeVertx.registry());
      RuqiEvents events = new RuqiEvents(vertx.eventBus(), clock, config.timezone());
      JobChanges changes = new JobChanges(vertx, events);
      stores.doneJobs().onRemoved(changes::removedDone);
      SchedulerVerticle.Deps deps = new SchedulerVerticle.Deps(stores.jobs(), stores.claims(), history,
          stores.clock(), runners, policy, events, new SchedulerMetrics(nodeVertx.registry()), clock,
          config.jobDefaults(), stores.schedulerSwitch(), name, config.readAhead(), config.pollInterval(),
          config.lease(), config.shutdownGrace(), config.claimAhead());
      ApiServices api = new ApiServices(vertx, stores, policy, changes, events, clock, new ApiServices.Settings(
          config.timezone(), config.jobDefaults().misfireGraceTime(), name, config.maxPageSize(), config.exactTotals(),
          Path.of(config.execWorkdir())));
      HistoryRetention retention = new HistoryRetention(vertx, stores.history(), clock, config.historyRetentionDays());
      SchedulerVerticle scheduler = new SchedulerVerticle(deps, stores.calendars());
      return vertx.deployVerticle(liveOutput)
          .compose(liveId -> {
            deployed.add(liveId);
            return vertx.deployVerticle(new ApiVerticle(api));
          })
          .compose(apiId -> {
            deployed.add(apiId);
            return vertx.deployVerticle(scheduler);
          })
          .compose(schedulerId -> {
            deployed.add(schedulerId);
            retention.start();
            AlertNotifier alerts = new AlertNotifier(vertx, stores.jobs(), stores.history(), webClient, policy);
            FailureStreaks streaks = new FailureStreaks(vertx, nodeVertx.registry());
            return alerts.start().compose(v -> streaks.start()).map(v -> new RuqiNode(vertx, config, stores, runners,
                scheduler, webClient, retention, alerts, streaks, http, name, deployed));
          })
          .recover(e -> {
            retention.stop();
            return undeploy(vertx, deployed)
                .compose(v -> processes.close())
                .eventually(() -> {
                  webClient.close();
                  return stores.close();
                })
                .transform(ignored -> Future.failedFuture(e));
          });
    });
  }

  private static void warnIfOpen(RuqiConfig config) {
    if (!config.auth().tokens().isEmpty()) {
      LOG.info("auth: {} tokens; every API call needs one", config.auth().tokens().size());
    } else if (RuqiConfig.isLoopback(config.httpHost())) {
      LOG.info("auth: off (no tokens): the API is open to every process on this machine, and only to them");
    } else {
      LOG.warn("auth.anonymous is true: anyone who reaches {}:{} can run commands on this host",
          config.httpHost(), config.httpPort());
    }
  }

  /** Where {@code /path} commands go: the configured base URL, or this node's own HTTP address. */
  private static String baseUrl(RuqiConfig config, int port) {
    if (config.execBaseUrl() != null) {
      return config.execBaseUrl().replaceAll("/+$", "");
    }
    String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::") ? "127.0.0.1"
        : config.httpHost();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  public int port() {
    return http.actualPort();
  }

  public String name() {
    return name;
  }

  public RuqiConfig config() {
    return config;
  }

  public Stores stores() {
    return stores;
  }

  /** Stops taking requests, lets the scheduler finish and record its runs, then closes runners and store. */
  public Future<Void> stop() {
    retention.stop();
    return alerts.stop().compose(v -> streaks.stop()).compose(v -> undeploy(vertx, deployments))
        .compose(v -> runners.close())
        // runs still going after the grace end as the runners close: their rows go in before the store closes
        .compose(v -> scheduler.flushHistory())
        .eventually(() -> {
          webClient.close();
          return stores.close();
        });
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
