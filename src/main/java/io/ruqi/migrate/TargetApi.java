package io.ruqi.migrate;

import io.ruqi.api.ApiOp;
import io.ruqi.api.ApiServices;
import io.ruqi.api.ApiVerticle;
import io.ruqi.api.JobChanges;
import io.ruqi.api.LocalCall;
import io.ruqi.config.RuqiConfig;
import io.ruqi.events.RuqiEvents;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * ruqi's own API on the configured store, served inside this process (no HTTP, no scheduler), so that a migrated
 * job goes through {@code job_import} (the validation of {@code job_add}, an idempotent upsert and the audit) and is
 * exactly what {@code job_add} would make. Calls are audited as made by {@code migrate}.
 */
final class TargetApi {
  static final String CALLER = "migrate";
  private static final long CALL_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final Stores stores;
  private final String deployment;

  private TargetApi(Vertx vertx, Stores stores, String deployment) {
    this.vertx = vertx;
    this.stores = stores;
    this.deployment = deployment;
  }

  static Future<TargetApi> start(Vertx vertx, RuqiConfig config, Clock clock) {
    return StoreFactory.open(vertx, config).compose(stores -> {
      vertx.eventBus().registerDefaultCodec(LocalCall.class, new LocalCall.Codec());
      RuqiEvents events = new RuqiEvents(vertx.eventBus(), clock, config.timezone());
      // scripts are looked up in the working directory: a migration adds no job by job_add or job_modify
      ApiVerticle api = new ApiVerticle(new ApiServices(vertx, stores, new CommandPolicy(config.policy()),
          new JobChanges(vertx, events), events, clock, new ApiServices.Settings(config.timezone(),
          config.jobDefaults().misfireGraceTime(), CALLER, config.maxPageSize(), config.exactTotals(), Path.of("."))));
      return vertx.deployVerticle(api).map(id -> new TargetApi(vertx, stores, id))
          .recover(e -> stores.close().transform(ignored -> Future.failedFuture(e)));
    });
  }

  Stores stores() {
    return stores;
  }

  /** Imports one job (or, dry, says what importing it would do): {@code added}, {@code modified}, {@code unchanged}. */
  Future<ImportOutcome> importJob(JsonObject params, boolean dryRun) {
    JsonObject request = new JsonObject().put("jobs", new JsonArray().add(params)).put("dry_run", dryRun);
    String id = params.getString("job_id");
    return vertx.eventBus().<JsonObject>request(ApiOp.address("job_import"), new LocalCall(CALLER, request),
        new DeliveryOptions().setSendTimeout(CALL_TIMEOUT_MS)).map(reply -> {
          JsonObject body = reply.body();
          String stat = body.getString("stat");
          if ("ERR_STORE_UNAVAILABLE".equals(stat) || "ERR_SERVER_EXCEPTION".equals(stat)) {
            // not this job's fault: stop, rather than report every job after it as refused
            throw new IllegalStateException("ruqi's store failed: " + body.getString("msg"));
          }
          if (!"OK".equals(stat)) {
            return ImportOutcome.refused(oneJobsMessage(id, body.getString("msg", body.getString("stat"))));
          }
          JsonObject data = body.getJsonObject("data");
          if (data.getJsonArray("conflicts", new JsonArray()).contains(id)) {
            return ImportOutcome.refused("changed in ruqi while it was imported; run migrate again");
          }
          return data.getJsonArray("added").contains(id) ? ImportOutcome.ADDED
              : data.getJsonArray("modified").contains(id) ? ImportOutcome.MODIFIED : ImportOutcome.UNCHANGED;
        });
  }

  /** job_import's message names the job's place in a list of one; the report names the job already. */
  private static String oneJobsMessage(String id, String message) {
    return message.replaceFirst("^1 of 1 jobs cannot be imported, so none was: jobs\\[0\\] \\("
        + Pattern.quote(id) + "\\): ", "");
  }

  Future<Void> close() {
    return vertx.undeploy(deployment).eventually(stores::close);
  }

  /** What importing a job did or would do; {@code message} says why it was refused. */
  record ImportOutcome(String action, String message) {
    static final ImportOutcome ADDED = new ImportOutcome("add", null);
    static final ImportOutcome MODIFIED = new ImportOutcome("modify", null);
    static final ImportOutcome UNCHANGED = new ImportOutcome("unchanged", null);

    static ImportOutcome refused(String message) {
      return new ImportOutcome("refused", message);
    }
  }
}
