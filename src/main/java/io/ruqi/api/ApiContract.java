package io.ruqi.api;

import io.ruqi.api.OpSpec.Outcome;
import io.ruqi.schedule.CalendarDays;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The contract of every operation of {@link ApiOp}: its parameters, reply and errors. It is the one description:
 * {@link Params} lets a reader read only the names declared here, the job policies are read with the limits
 * declared here, and {@code /openapi.json} is generated from it. A new operation does not compile until it has
 * its entry (the switch below has no default).
 */
public final class ApiContract {
  static final Param JOB_ID = Param.id("job_id", "the job's id: at most 255 characters, no control characters")
      .example("nightly");
  static final Param JOB_NAME = Param.id("job_name", "a name for a group of jobs (RuQi's job_name)")
      .example("rdb");
  static final Param JOB_TRIGGER = Param.string("job_trigger", 16,
      "cron (six fields, seconds first), interval (10s, 1h30m) or date (a one-shot)")
      .choices("cron", "interval", "date").example("cron");
  static final Param RULE = Param.string("rule", JobDraftReader.MAX_RULE_LENGTH,
      "the trigger's rule: '0 20 2 * * *' (cron), '10s' or '1h30m' (interval), '2026-12-24 08:00:00' or 'now'"
          + " (date)").example("0 20 2 * * *");
  static final Param CMD = Param.string("cmd", JobDraftReader.MAX_CMD_LENGTH,
      "what runs: a program and its arguments (no shell), http(s)://host/path#{json}, 'GET https://...',"
          + " /path#{json} (ruqi's own base URL) or eventbus:address#{json}").example("echo hello");
  static final Param TIMEZONE = Param.string("timezone", 64,
      "an IANA zone for the job's rule and dates (default: the service's)").resettable().example("UTC");
  static final Param START_DATE = Param.date("start_date", "no fire before this time (in the job's zone)")
      .resettable().example("2026-01-01 00:00:00");
  static final Param END_DATE = Param.date("end_date", "no fire after this time (inclusive, in the job's zone)")
      .resettable().example("2099-12-31 23:59:59");
  static final Param VERSION = Param.integer("version", 0, Integer.MAX_VALUE,
      "the version you read: the change is refused with ERR_CONFLICT when the job has changed since").example(0);

  private static final double YEAR = 366 * 86400.0;
  static final Param MISFIRE_GRACE_TIME = Param.seconds("misfire_grace_time", 0, YEAR,
      "seconds a fire may start late; later it is recorded missed (default jobs.misfire_grace_time, 30)").resettable()
      .example(30);
  static final Param COALESCE = Param.bool("coalesce",
      "when several fires are due at once, run only the latest (default false)").resettable().example(false);
  static final Param MAX_INSTANCES = Param.integer("max_instances", 1, 10_000,
      "fires of the job running at once, across all nodes (default 1)").resettable().example(1);
  static final Param TIMEOUT = Param.seconds("timeout", 0.001, 30 * 86400.0,
      "seconds before a run is ended and recorded timeout (default 3600 for a process, 90 otherwise)").resettable()
      .example(3600);
  static final Param RETRIES = Param.integer("retries", 0, 100, "times a failed run is tried again (default 0)")
      .resettable().example(0);
  static final Param RETRY_BACKOFF = Param.seconds("retry_backoff", 0, 86400,
      "seconds between a failed run and its retry (default 10)").resettable().example(10);
  static final Param JITTER = Param.seconds("jitter", 0, 86400,
      "a fire starts up to this many seconds late, at random (default 0)").resettable().example(0);
  static final Param ALERT_URL = Param.string("alert_url", 2048,
      "an http(s) webhook that gets a JSON POST when the job needs attention; its host must pass"
          + " policy.http_hosts").resettable().example("https://alerts.example.com/ruqi");
  static final Param ALERT_ON = Param.of("alert_on", Param.Kind.LIST,
      "which fires alert: failure and/or missed (default both); a list, or comma-separated text")
      .choices("failure", "missed").resettable().example(List.of("failure", "missed"));
  static final Param ALERT_AFTER = Param.integer("alert_after", 1, 1000,
      "alert once this many fires in a row have failed (default 1)").resettable().example(1);
  static final Param DELIVERY = Param.string("delivery", 32,
      "what a run cut off by its node's death costs: at_most_once (recorded interrupted) or at_least_once (run"
          + " again with the same fire id)").choices("at_most_once", "at_least_once").resettable()
      .example("at_most_once");
  static final Param KEEP_DONE = Param.bool("keep_done",
      "keep the job, as done, once it will not fire again (default false: removed, as RuQi did)").resettable()
      .example(false);
  static final Param CALENDAR = Param.string("calendar", CalendarCommands.MAX_NAME_LENGTH,
      "a calendar (calendar_set) whose days rule this job's fires out or in, judged by the fire's date in the job's"
          + " zone; a fire ruled out is recorded skipped (default: none)").resettable().example("holidays");
  static final Param CALENDAR_MODE = Param.string("calendar_mode", 8,
      "skip: no fire on the calendar's days; only: fires on its days only (default skip)").choices("skip", "only")
      .resettable().example("skip");
  static final Param ON_SUCCESS = Param.of("on_success", Param.Kind.LIST,
      "job chain: the job_ids to start when a fire of this job ends in success (after its retries), each told the"
          + " parent's fire id; at most " + ChainCheck.MAX_CHILDREN + "; a cycle is refused").resettable()
      .example(List.of("report"));
  static final Param ON_FAILURE = Param.of("on_failure", Param.Kind.LIST,
      "job chain: the job_ids to start when a fire of this job ends failed, timeout or interrupted (after its"
          + " retries); at most " + ChainCheck.MAX_CHILDREN + "; a cycle is refused").resettable()
      .example(List.of("cleanup"));
  static final Param RUN_ON = Param.string("run_on", 64,
      "run the process on one live worker node with this label (node.labels), the least loaded; no live worker:"
          + " the fire fails, saying so").resettable().example("gpu");
  static final Param BROADCAST = Param.string("broadcast", 64,
      "run the process on every live worker node with this label, one history row per worker").resettable()
      .example("eu");
  /** The job policies, in the order the readers check them. */
  static final List<Param> POLICIES = List.of(MISFIRE_GRACE_TIME, TIMEOUT, RETRY_BACKOFF, JITTER, MAX_INSTANCES,
      RETRIES, ALERT_AFTER, ALERT_URL, ALERT_ON, DELIVERY, COALESCE, KEEP_DONE, CALENDAR,
      CALENDAR_MODE, ON_SUCCESS, ON_FAILURE, RUN_ON, BROADCAST);

  static final Param PAGE_INDEX = Param.integer("page_index", 0, Integer.MAX_VALUE,
      "the page, from 1; without it the first api.max_page_size rows (1,000), with \"truncated\": true when"
          + " rows were left out").example(1);
  static final Param PAGE_SIZE = Param.integer("page_size", 1, Integer.MAX_VALUE,
      "rows per page (default 15; at most api.max_page_size, 1,000)").example(15);

  private static final Param LINE = Param.string("line", JobDraftReader.MAX_RULE_LENGTH
          + JobDraftReader.MAX_CMD_LENGTH, "a crontab-like line: the rule, then the command")
      .mandatory().example("0 20 2 * * * python scripts/backup.py --full");
  private static final Param LEGACY_NAME = Param.id("name",
      "RuQi's first form (without job_id): the job's id and name; an existing job of that id is replaced");
  private static final Param LEGACY_TRIGGER = Param.string("trigger", 16,
      "RuQi's first form: the trigger (default cron)");

  /** A job as job_export gives it and job_import takes it: job_add's parameters plus its state. */
  static final List<Param> EXPORTED_JOB = concat(List.of(JOB_ID.mandatory(), JOB_NAME.mandatory(),
          JOB_TRIGGER.mandatory(), RULE.mandatory(), CMD.mandatory(), TIMEZONE, START_DATE, END_DATE), POLICIES,
      List.of(Param.bool("paused", "the job is paused (default false)").example(false),
          Param.string("state", 16, "done: the job will not fire again (kept by keep_done); else scheduled or"
              + " paused").choices("scheduled", "paused", "done").example("scheduled")));
  static final Set<String> EXPORTED_JOB_NAMES = names(EXPORTED_JOB);

  private static final Outcome INVALID = new Outcome(Stat.ERR, 400,
      "a rule, date, time zone or command fails validation");
  private static final Outcome NO_JOB = new Outcome(Stat.ERR, 404, "no job of that job_id");
  private static final Outcome TAKEN = new Outcome(Stat.ERR, 409, "the job_id is taken");
  private static final Outcome STALE = new Outcome(Stat.ERR_CONFLICT, 409,
      "the version given is no longer current, or the edit lost a race five times");

  private static final Param CALENDAR_NAME = Param.string("calendar", CalendarCommands.MAX_NAME_LENGTH,
      "the calendar's name: 1 to " + CalendarCommands.MAX_NAME_LENGTH + " letters, digits, '_', '.' or '-'")
      .mandatory().example("holidays");
  private static final Param DAYS = Param.of("days", Param.Kind.LIST, "the days, at most "
      + CalendarDays.MAX_ENTRIES + ": 2026-12-25, an inclusive range 2026-12-24..2026-12-26, or --12-25 for every"
      + " year; a list, or text separated by commas or spaces").mandatory()
      .example(List.of("2026-12-24..2026-12-26", "--01-01"));
  private static final Outcome NO_CALENDAR = new Outcome(Stat.ERR, 404, "no calendar of that name");

  private static final Map<ApiOp, OpSpec> SPECS = new EnumMap<>(ApiOp.class);
  private static final Map<ApiOp, Set<String>> NAMES = new EnumMap<>(ApiOp.class);

  static {
    for (ApiOp op : ApiOp.values()) {
      SPECS.put(op, describe(op));
      NAMES.put(op, names(SPECS.get(op).params()));
    }
  }

  private ApiContract() {
  }

  public static OpSpec of(ApiOp op) {
    return SPECS.get(op);
  }

  /** The names the readers of {@code op} may read. */
  static Set<String> names(ApiOp op) {
    return NAMES.get(op);
  }

  /** The fields of one job of job_import's {@code jobs} (and of job_export's reply). */
  public static List<Param> exportedJob() {
    return EXPORTED_JOB;
  }

  private static OpSpec describe(ApiOp op) {
    List<Param> definition = concat(List.of(JOB_NAME, JOB_TRIGGER, RULE, CMD, TIMEZONE, START_DATE, END_DATE),
        POLICIES);
    return switch (op) {
      case JOB_ADD -> new OpSpec("jobs", "Add a job", "Adds a job; a job_id that is taken is refused. RuQi's first"
          + " form {name, rule, cmd} (a 6-field cron rule; name is the job_id) replaces a job of that id.", false,
          concat(List.of(JOB_ID.mandatory(), JOB_NAME.mandatory(), JOB_TRIGGER.mandatory(), RULE.mandatory(),
              CMD.mandatory(), TIMEZONE, START_DATE, END_DATE), POLICIES, List.of(LEGACY_NAME, LEGACY_TRIGGER)),
          List.of("name", "rule", "cmd"), "Job", List.of(INVALID, TAKEN));
      case JOB_MODIFY -> new OpSpec("jobs", "Change a job", "Changes what is sent, nothing else; a changed rule"
          + " fires from now on its new schedule. A JSON null resets a policy, timezone or date to the default.",
          false, concat(List.of(JOB_ID.mandatory(), VERSION), optional(definition)), List.of(), "Job",
          List.of(INVALID, NO_JOB, STALE));
      case JOB_REMOVE -> new OpSpec("jobs", "Remove a job", "Removes the job (its history stays). RuQi's first"
          + " form {name} removes every job of that job_name and answers how many.", false,
          List.of(JOB_ID.mandatory(), LEGACY_NAME.describedAs("RuQi's first form (without job_id): remove every"
              + " job of this job_name")), List.of("name"), "Removed", List.of(NO_JOB));
      case JOB_PAUSE -> new OpSpec("jobs", "Pause a job", "The job does not fire until resumed.", false,
          List.of(JOB_ID.mandatory(), VERSION), List.of(), "Job", List.of(NO_JOB, STALE));
      case JOB_RESUME -> new OpSpec("jobs", "Resume a job", "Its next fire is computed from now.", false,
          List.of(JOB_ID.mandatory(), VERSION), List.of(), "Job", List.of(NO_JOB, STALE));
      case JOB_LIST -> new OpSpec("jobs", "List jobs", "Newest first, filtered by exact job_id or job_name.", true,
          List.of(filter(JOB_ID), filter(JOB_NAME), PAGE_INDEX, PAGE_SIZE), List.of(), "JobPage", List.of());
      case JOB_SHOW -> new OpSpec("jobs", "Show a job", "The job, with RuQi's nexttime ('None' when it will not"
          + " fire).", true, List.of(JOB_ID.mandatory()), List.of(), "JobShown", List.of(NO_JOB));
      case JOB_ADD_BY_LINE -> new OpSpec("jobs", "Add a job from one line", "'RULE CMD', as a crontab line with"
          + " seconds; the rest as job_add.", false,
          concat(List.of(LINE, JOB_ID.describedAs("the job's id (default: derived from the line)"),
              JOB_NAME.describedAs("the job's name (default: 'default')"), TIMEZONE, START_DATE, END_DATE),
              POLICIES), List.of(), "Job", List.of(INVALID, TAKEN));
      case JOB_NEXT_TIMES -> new OpSpec("jobs", "Preview fire times", "The next fire times of a rule; nothing is"
          + " stored.", true, List.of(JOB_TRIGGER.mandatory(), RULE.mandatory(), TIMEZONE.optional(),
          START_DATE.optional(), END_DATE.optional(), Param.date("from", "the times after this one (default: now)")
              .example("2026-12-24 00:00:00"),
          Param.integer("count", 1, JobQueries.MAX_NEXT_TIMES, "how many (default 5)").example(5),
          CALENDAR.optional().describedAs("leave out the times this calendar rules out, as a job naming it would"),
          CALENDAR_MODE.optional()), List.of(), "NextTimes", List.of(INVALID));
      case JOB_RUN -> new OpSpec("jobs", "Run a job now", "Fires the job now, outside its schedule (recorded like"
          + " any fire).", false, List.of(JOB_ID.mandatory()), List.of(), "RunStarted", List.of(NO_JOB,
          new Outcome(Stat.ERR, 409, "the scheduler is paused (scheduler_pause)"),
          new Outcome(Stat.ERR_CONFLICT, 409, "the job already has max_instances fires running, or kept changing")));
      case JOB_HISTORY_LIST -> new OpSpec("history", "List fires", "A row per fire, newest first.", true,
          List.of(filter(JOB_ID), filter(JOB_NAME), Param.string("is_success", 8, "yes or no (true or false)")
                  .choices("yes", "no", "true", "false"),
              Param.string("status", 16, "what became of the fire").choices("success", "failed", "timeout",
                  "missed", "skipped", "interrupted"), PAGE_INDEX, PAGE_SIZE), List.of(), "HistoryPage", List.of());
      case JOB_HISTORY_CLEAR -> new OpSpec("history", "Delete old history", "Deletes the rows older than days or"
          + " before.", false, List.of(Param.integer("days", 0, 100_000, "rows older than this many days"
              + " (default " + HistoryQueries.DEFAULT_RETENTION_DAYS + ")").example(180),
          Param.date("before", "rows before this time (instead of days)"), filter(JOB_ID), filter(JOB_NAME)),
          List.of(), "Cleared", List.of(INVALID));
      case JOB_EXPORT -> new OpSpec("transfer", "Export jobs", "Each job as job_add parameters, plus paused and"
          + " state; each page imports as it is.", true, List.of(filter(JOB_ID), filter(JOB_NAME), PAGE_INDEX,
          PAGE_SIZE.describedAs("jobs per page (default and most: api.max_page_size)")), List.of(), "ExportPage",
          List.of());
      case JOB_IMPORT -> new OpSpec("transfer", "Import jobs", "An upsert of exported jobs: importing twice"
          + " changes nothing the second time; one invalid job rejects the whole import.", false,
          List.of(Param.of("jobs", Param.Kind.JOBS, "the jobs, as job_export gives them (at most "
              + JobTransfer.MAX_JOBS + ")").mandatory(), Param.bool("dry_run", "say what would change, change"
              + " nothing").example(true)), List.of(), "ImportReport", List.of(INVALID));
      case AUDIT_LIST -> new OpSpec("audit", "List the audit trail", "Who changed what, newest first.", true,
          List.of(filter(JOB_ID), Param.string("actor", Params.MAX_ID_LENGTH, "the token's name"),
              Param.string("operation", 32, "the operation as called"), PAGE_INDEX, PAGE_SIZE), List.of(),
          "AuditPage", List.of());
      case HISTORY_STATS -> new OpSpec("history", "Fires over time", "The history of the last hour (60"
          + " one-minute buckets) or day (96 quarter-hours): rows by status, and lateness p50/p99 of first attempts;"
          + " what the console's charts draw.", true, List.of(Param.string("window", 8, "1h (default) or 24h")
              .choices("1h", "24h").example("1h")), List.of(), "HistoryStats", List.of());
      case FIRE_OUTPUT -> new OpSpec("history", "A fire's output", "Whether the fire still runs, and the stored"
          + " output of its runs; GET /ruqi/output streams it live.", true, List.of(Param.string("fire_id",
              Params.MAX_ID_LENGTH + 21, "<job_id>@<fire time in epoch ms>, as events, headers and job_run give"
              + " it").mandatory().example("nightly@1798761600000")), List.of(), "FireOutput", List.of(new Outcome(Stat.ERR, 404,
              "no such fire is running or in the history")));
      case SCHEDULER_STATUS -> new OpSpec("scheduler", "This node's scheduler", "RuQi's check_time,"
          + " next_wakeup_time and wait_seconds, and ruqi's own figures.", true, List.of(), List.of(),
          "SchedulerStatus", List.of());
      case SCHEDULER_WAKEUP -> new OpSpec("scheduler", "Read the store again now", "", false, List.of(),
          List.of(), null, List.of());
      case SCHEDULER_PAUSE -> new OpSpec("scheduler", "Pause the whole scheduler", "On every node, through"
          + " restarts: nothing fires (job_run neither) until scheduler_resume.", false, List.of(), List.of(),
          "Paused", List.of());
      case SCHEDULER_RESUME -> new OpSpec("scheduler", "Resume the whole scheduler", "Fires due meanwhile run now"
          + " if within their grace, else are missed.", false, List.of(), List.of(), "Paused", List.of());
      case CALENDAR_SET -> new OpSpec("calendars", "Create or replace a calendar", "Its days replace what it"
          + " listed; every node judges fires by it at once (a node that missed the news within 5 s).", false,
          List.of(CALENDAR_NAME, DAYS), List.of(), "Calendar", List.of(INVALID));
      case CALENDAR_GET -> new OpSpec("calendars", "Show a calendar", "", true, List.of(CALENDAR_NAME), List.of(),
          "Calendar", List.of(NO_CALENDAR));
      case CALENDAR_LIST -> new OpSpec("calendars", "List the calendars", "Every calendar (at most "
          + CalendarCommands.MAX_CALENDARS + "), by name, with its days.", true, List.of(), List.of(),
          "CalendarList", List.of());
      case CALENDAR_DELETE -> new OpSpec("calendars", "Remove a calendar", "Refused while a job names it.", false,
          List.of(CALENDAR_NAME), List.of(), "CalendarRemoved", List.of(NO_CALENDAR, new Outcome(Stat.ERR, 409,
              "jobs name the calendar (the message names up to " + CalendarCommands.NAMED_JOBS + " of them)")));
    };
  }

  /** A filter of a list: any text, matched exactly; empty is no filter. */
  private static Param filter(Param p) {
    return Param.string(p.name(), Params.MAX_ID_LENGTH, p.name() + ", exactly");
  }

  private static List<Param> optional(List<Param> params) {
    return params.stream().map(Param::optional).toList();
  }

  @SafeVarargs
  private static List<Param> concat(List<Param>... lists) {
    List<Param> out = new ArrayList<>();
    Arrays.stream(lists).forEach(out::addAll);
    return List.copyOf(out);
  }

  private static Set<String> names(List<Param> params) {
    return params.stream().map(Param::name).collect(Collectors.toUnmodifiableSet());
  }
}
