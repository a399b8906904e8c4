package io.ruqi.api;

import io.ruqi.events.RuqiEvents;
import io.ruqi.auth.Caller;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.ScriptCheck;
import io.ruqi.store.Stores;
import io.ruqi.store.StoreErrors;
import io.ruqi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Serves the API on the event bus: a request to {@code ruqi.<op>} with the parameters as a JSON object gets the
 * reply envelope ({@link ApiReply}). The HTTP verticle is only a bridge to these addresses, so a Vert.x peer in
 * the cluster and curl get the same answers.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final Stores stores;
  private final CommandPolicy policy;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final Duration defaultGrace;
  private final String nodeName;
  private final Paging paging;
  private final Path workdir;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  /**
   * For a caller that adds no job by job_add or job_modify (the migration imports): scripts are looked up in the
   * working directory.
   */
  public ApiVerticle(Stores stores, CommandPolicy policy, Clock clock, ZoneId serviceZone, Duration defaultGrace,
                     String nodeName, int maxPageSize) {
    this(stores, policy, clock, serviceZone, defaultGrace, nodeName, maxPageSize, Path.of("."));
  }

  /**
   * @param maxPageSize the most rows of one list reply (api.max_page_size)
   * @param workdir     where processes run (exec.workdir): scripts a new cmd names must be there
   */
  public ApiVerticle(Stores stores, CommandPolicy policy, Clock clock, ZoneId serviceZone, Duration defaultGrace,
                     String nodeName, int maxPageSize, Path workdir) {
    this.workdir = workdir;
    this.stores = stores;
    this.policy = policy;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.defaultGrace = defaultGrace;
    this.nodeName = nodeName;
    this.paging = new Paging(maxPageSize);
  }

  @Override
  public Future<?> start() {
    JobChanges changes = new JobChanges(vertx.eventBus(), new RuqiEvents(vertx.eventBus(), clock, serviceZone));
    AuditLog audit = new AuditLog(stores.audit(), clock, serviceZone, nodeName, paging);
    JobCommands commands = new JobCommands(stores.jobs(), changes, audit, policy,
        new ScriptCheck(vertx.fileSystem(), workdir), clock, serviceZone, defaultGrace);
    JobQueries queries = new JobQueries(stores.jobs(), clock, serviceZone, paging);
    HistoryQueries history = new HistoryQueries(stores.history(), audit, clock, serviceZone, paging);
    HistoryStats stats = new HistoryStats(stores.history(), clock, serviceZone);
    FireOutputs outputs = new FireOutputs(stores.history(), serviceZone);
    JobTransfer transfer = new JobTransfer(stores.jobs(), commands, clock, serviceZone, paging);
    SchedulerOps scheduler = new SchedulerOps(vertx.eventBus(), audit, stores.schedulerSwitch(),
        new RuqiEvents(vertx.eventBus(), clock, serviceZone), clock, serviceZone, nodeName);
    List<Future<Void>> registered = new ArrayList<>();
    for (ApiOp op : ApiOp.values()) {
      Function<Params, Future<Object>> handler = switch (op) {
        case JOB_ADD -> commands::add;
        case JOB_MODIFY -> commands::modify;
        case JOB_REMOVE -> commands::remove;
        case JOB_PAUSE -> commands::pause;
        case JOB_RESUME -> commands::resume;
        case JOB_ADD_BY_LINE -> commands::addByLine;
        case JOB_LIST -> queries::list;
        case JOB_SHOW -> queries::show;
        case JOB_NEXT_TIMES -> queries::nextTimes;
        case SCHEDULER_STATUS -> scheduler::status;
        case SCHEDULER_WAKEUP -> scheduler::wakeup;
        case SCHEDULER_PAUSE -> scheduler::pause;
        case SCHEDULER_RESUME -> scheduler::resume;
        case JOB_RUN -> scheduler::run;
        case JOB_HISTORY_LIST -> history::list;
        case JOB_HISTORY_CLEAR -> history::clear;
        case HISTORY_STATS -> stats::stats;
        case FIRE_OUTPUT -> outputs::show;
        case JOB_EXPORT -> transfer::export;
        case JOB_IMPORT -> transfer::importJobs;
        case AUDIT_LIST -> audit::list;
      };
      for (String name : op.names()) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(ApiOp.address(name), m -> serve(name, m, handler));
        consumers.add(consumer);
        registered.add(consumer.completion());
      }
    }
    return Future.all(registered);
  }

  private void serve(String name, Message<Object> message, Function<Params, Future<Object>> handler) {
    Future<Object> result;
    try {
      // the caller is known only for a call made inside this node; one from the cluster is "eventbus", whatever
      // its headers say (a peer sets those)
      String caller = Caller.EVENT_BUS.name();
      Object body = message.body();
      if (body instanceof LocalCall local) {
        caller = local.caller();
        body = local.params();
      }
      if (body != null && !(body instanceof JsonObject)) {
        throw ApiException.badParams("the parameters must be a JSON object");
      }
      JsonDepth.check((JsonObject) body);
      result = handler.apply(new Params((JsonObject) body, caller, name));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ApiReply.ok(ar.result()), ApiReply.status(200));
      } else {
        replyError(name, message, ar.cause());
      }
    });
  }

  private static void replyError(String name, Message<Object> message, Throwable failure) {
    if (failure instanceof ApiException e) {
      message.reply(ApiReply.error(e.stat(), e.getMessage()), ApiReply.status(e.httpStatus()));
    } else if (failure instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      message.reply(ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "the scheduler is starting or stopping; try again"),
          ApiReply.status(503));
    } else if (failure instanceof StoreUnavailableException || StoreErrors.isUnavailable(failure)) {
      LOG.warn("{}: {}", name, failure.getMessage());
      message.reply(ApiReply.error(Stat.ERR_STORE_UNAVAILABLE,
          "the job store cannot be reached; nothing was changed, try again shortly"), ApiReply.status(503));
    } else if (StoreErrors.isLostRace(failure)) {
      // rolled back whole (a deadlock, or a Galera certification failure at commit): nothing was written
      LOG.warn("{}: lost a race: {}", name, failure.getMessage());
      message.reply(ApiReply.error(Stat.ERR_CONFLICT, "the change lost a race with another writer; nothing was"
          + " changed, try again"), ApiReply.status(409));
    } else {
      LOG.error("{} failed", name, failure);
      message.reply(ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "API Processing Exception: the service failed on this"
          + " request; its log has the details"), ApiReply.status(500));
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    return Future.all(all);
  }
}
