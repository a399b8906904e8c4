package io.ruqi.migrate;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandParser;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an APScheduler 3 job into the {@code job_add} parameters of the same job in ruqi: trigger, rule, time zone,
 * start and end dates, command, misfire grace, coalesce, max instances, jitter, and whether it is paused. Only
 * RuQi's own job functions carry over ({@code run_cmd}, {@code run_http}, {@code run_mq}: their {@code cmd} is a
 * ruqi command); any other function is reported, since nothing says what it does.
 */
final class JobMapper {
  /** ruqi's longest misfire grace (api/JobOptionsReader): a year. */
  static final long LONGEST_GRACE_SECONDS = 366 * 86400L;
  private static final long LONGEST_JITTER_SECONDS = 86400;
  private static final int MOST_INSTANCES = 10_000;
  private static final Set<String> RUQI_FUNCTIONS = Set.of("run_cmd", "run_http", "run_mq");
  private static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private JobMapper() {
  }

  /**
   * @param rowId   the row's id, which must be the job's own
   * @param rowName RuQi's job_name column, used when the state has none
   */
  static MappedJob map(String rowId, String rowName, ApsJob job) {
    if (!job.id().equals(rowId)) {
      throw new NotMigratable("its row id '" + rowId + "' is not its job's id '" + job.id() + "'");
    }
    List<String> notes = new ArrayList<>();
    String cmd = command(job, notes);
    String name = text(job.kwargs().get("job_name"));
    name = name != null && !name.isBlank() ? name : rowName != null && !rowName.isBlank() ? rowName : job.name();
    JsonObject params = new JsonObject().put("job_id", job.id()).put("job_name", name).put("cmd", cmd);
    trigger(job.trigger(), params);
    policies(job, params, notes);
    params.put("paused", job.nextRunTime() == null);
    return new MappedJob(params, notes);
  }

  private static String command(ApsJob job, List<String> notes) {
    int colon = job.func().indexOf(':');
    String module = colon < 0 ? "" : job.func().substring(0, colon);
    String function = job.func().substring(colon + 1);
    if (!RUQI_FUNCTIONS.contains(function) || !module.endsWith("apscheduler.manager")) {
      throw new NotMigratable("its function is " + job.func() + ", not RuQi's run_cmd, run_http or run_mq: ruqi"
          + " cannot know what it does; add it with job_add and a command that does the same");
    }
    if (!job.args().isEmpty()) {
      throw new NotMigratable("RuQi's " + function + " takes keyword arguments only, but this job passes "
          + job.args().size() + " positional ones");
    }
    String cmd = text(job.kwargs().get("cmd"));
    if (cmd == null || cmd.isBlank()) {
      throw new NotMigratable("its keyword arguments hold no cmd");
    }
    String lower = cmd.strip().toLowerCase(Locale.ROOT);
    switch (function) {
      case "run_http" -> {
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
          throw new NotMigratable("RuQi ran '" + cmd + "' as an HTTP POST (its cmd starts with 'http'), but it is"
              + " not an http:// or https:// URL");
        }
      }
      case "run_mq" -> {
        if (!cmd.startsWith("/")) {
          throw new NotMigratable("RuQi queued '" + cmd + "' as a message, but it does not start with /");
        }
        notes.add("RuQi put this message on its BaiChuan queue for a Butterfly handler; ruqi POSTs it to"
            + " exec.base_url + " + cmd.split("#", 2)[0] + " instead");
      }
      default -> {
        if (!(parsedOrNull(cmd) instanceof Command.Process) && parsedOrNull(cmd) != null) {
          throw new NotMigratable("RuQi ran '" + cmd + "' as a script, but ruqi would read it as another kind of"
              + " command (HTTP, /path or event bus)");
        }
      }
    }
    return cmd;
  }

  /** The command as ruqi parses it, or null when ruqi refuses it (the import then says why, in ruqi's words). */
  private static Command parsedOrNull(String cmd) {
    try {
      return CommandParser.parse(cmd);
    } catch (CommandException e) {
      return null;
    }
  }

  private static void trigger(ApsTrigger trigger, JsonObject params) {
    if (trigger instanceof ApsTrigger.Cron cron) {
      params.put("job_trigger", "cron").put("rule", CronRuleMapper.rule(cron));
      zoneAndBounds(params, cron.zone(), cron.start(), cron.end());
    } else if (trigger instanceof ApsTrigger.Interval interval) {
      Duration every = interval.interval();
      if (every.getNano() != 0 || every.getSeconds() <= 0) {
        throw new NotMigratable("its interval of " + every.toNanos() / 1e9 + " s is not a whole number of seconds,"
            + " which ruqi's interval rules are");
      }
      params.put("job_trigger", "interval").put("rule", every.getSeconds() + "s");
      // APScheduler's grid starts at start_date (RuQi's: the add, plus one interval), as ruqi's does
      zoneAndBounds(params, interval.zone(), interval.start(), interval.end());
    } else if (trigger instanceof ApsTrigger.Date date) {
      params.put("job_trigger", "date").put("rule", wall(date.wall())).put("timezone", zoneName(date.zone()));
    } else {
      throw new NotMigratable("its trigger is a " + ((ApsTrigger.Other) trigger).className()
          + ", which ruqi has no rule for (ruqi has cron, interval and date)");
    }
  }

  /**
   * Start and end dates to the millisecond, ruqi's precision (APScheduler's default interval start, the add plus
   * the interval, has microseconds): sent finer, a second migration would find them changed.
   */
  private static void zoneAndBounds(JsonObject params, ZoneId zone, Instant start, Instant end) {
    params.put("timezone", zoneName(zone));
    if (start != null) {
      params.put("start_date", wall(LocalDateTime.ofInstant(toMillis(start), zone)));
    }
    if (end != null) {
      params.put("end_date", wall(LocalDateTime.ofInstant(toMillis(end), zone)));
    }
  }

  private static Instant toMillis(Instant t) {
    return t.plusNanos(500_000).truncatedTo(ChronoUnit.MILLIS);
  }

  private static void policies(ApsJob job, JsonObject params, List<String> notes) {
    Duration grace = job.misfireGraceTime();
    if (grace == null || grace.getSeconds() > LONGEST_GRACE_SECONDS) {
      notes.add("misfire_grace_time " + (grace == null ? "None (however late)" : grace.getSeconds() + " s")
          + " becomes " + LONGEST_GRACE_SECONDS + " s (366 days), ruqi's longest");
      params.put("misfire_grace_time", LONGEST_GRACE_SECONDS);
    } else {
      params.put("misfire_grace_time", seconds(grace));
    }
    params.put("coalesce", job.coalesce());
    if (job.maxInstances() < 1 || job.maxInstances() > MOST_INSTANCES) {
      throw new NotMigratable("its max_instances " + job.maxInstances() + " is outside ruqi's 1-" + MOST_INSTANCES);
    }
    params.put("max_instances", job.maxInstances());
    Duration jitter = job.trigger() instanceof ApsTrigger.Cron c ? c.jitter()
        : job.trigger() instanceof ApsTrigger.Interval i ? i.jitter() : null;
    if (jitter != null && !jitter.isZero()) {
      if (jitter.isNegative() || jitter.getSeconds() > LONGEST_JITTER_SECONDS) {
        throw new NotMigratable("its jitter of " + jitter.getSeconds() + " s is outside ruqi's 0-"
            + LONGEST_JITTER_SECONDS + " s");
      }
      params.put("jitter", seconds(jitter));
    }
  }

  private static Object seconds(Duration d) {
    return d.getNano() == 0 ? (Object) d.getSeconds() : (Object) (d.toNanos() / 1e9);
  }

  /** {@code yyyy-MM-dd HH:mm:ss[.fff[fff]]}, as RuQi wrote dates and ruqi reads them. */
  static String wall(LocalDateTime t) {
    String text = WALL.format(t);
    int micros = t.getNano() / 1000;
    return micros == 0 ? text : micros % 1000 == 0 ? text + String.format(Locale.ROOT, ".%03d", micros / 1000)
        : text + String.format(Locale.ROOT, ".%06d", micros);
  }

  private static String zoneName(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }
}
