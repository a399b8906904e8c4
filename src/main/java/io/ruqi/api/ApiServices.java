package io.ruqi.api;

import io.ruqi.events.RuqiEvents;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.ScriptCheck;
import io.ruqi.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Function;

/**
 * The API's services, built once by a composition root ({@code RuqiNode}, or the migration's {@code TargetApi})
 * from the parts it shares with the rest of the node (one {@link JobChanges}, one {@link RuqiEvents}), and served
 * on the bus by {@link ApiVerticle}.
 */
public final class ApiServices {
  private final JobCommands commands;
  private final JobQueries queries;
  private final HistoryQueries history;
  private final HistoryStats stats;
  private final FireOutputs outputs;
  private final JobTransfer transfer;
  private final SchedulerOps scheduler;
  private final AuditLog audit;
  private final CalendarCommands calendars;

  /**
   * @param defaultGrace jobs.misfire_grace_time, for a job that names none
   * @param maxPageSize  the most rows of one list reply (api.max_page_size)
   * @param exactTotals  lists count every matching row (api.exact_totals)
   * @param workdir      where processes run (exec.workdir): scripts a new cmd names must be there
   */
  public record Settings(ZoneId serviceZone, Duration defaultGrace, String nodeName, int maxPageSize,
                         boolean exactTotals, Path workdir) {
  }

  public ApiServices(Vertx vertx, Stores stores, CommandPolicy policy, JobChanges changes, RuqiEvents events,
                     Clock clock, Settings s) {
    Paging paging = new Paging(s.maxPageSize(), s.exactTotals());
    ZoneId zone = s.serviceZone();
    this.audit = new AuditLog(stores.audit(), clock, zone, s.nodeName(), paging);
    this.calendars = new CalendarCommands(stores.calendars(), vertx.eventBus(), audit, clock, zone);
    this.commands = new JobCommands(stores.jobs(), changes, audit, policy,
        new ScriptCheck(vertx.fileSystem(), s.workdir()), clock, zone, s.defaultGrace(), calendars);
    this.queries = new JobQueries(stores.jobs(), clock, zone, paging, calendars);
    this.history = new HistoryQueries(stores.history(), audit, clock, zone, paging);
    this.stats = new HistoryStats(stores.history(), clock, zone);
    this.outputs = new FireOutputs(stores.history(), zone);
    this.transfer = new JobTransfer(vertx, stores.jobs(), commands, clock, zone, paging);
    this.scheduler = new SchedulerOps(vertx.eventBus(), audit, stores.schedulerSwitch(), events, clock, zone,
        s.nodeName());
  }

  /** What serves {@code op}. */
  Function<Params, Future<Object>> handler(ApiOp op) {
    return switch (op) {
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
      case CALENDAR_SET -> calendars::set;
      case CALENDAR_GET -> calendars::get;
      case CALENDAR_LIST -> calendars::list;
      case CALENDAR_DELETE -> calendars::delete;
    };
  }
}
