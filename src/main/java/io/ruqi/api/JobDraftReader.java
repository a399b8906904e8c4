package io.ruqi.api;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.schedule.JobCompiler;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.schedule.Trigger;
import io.ruqi.schedule.TriggerSpec;
import io.ruqi.schedule.Triggers;
import io.ruqi.store.Job;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Turns request parameters into a validated {@link JobDraft}, in RuQi's order (trigger, rule, command), so that
 * the first problem reported is the one RuQi would have reported. For a modify, what the request leaves out is
 * taken from the stored job.
 */
final class JobDraftReader {
  static final int MAX_RULE_LENGTH = 255;
  static final int MAX_CMD_LENGTH = 8192;

  private final ZoneId defaultZone;
  private final CommandPolicy policy;

  JobDraftReader(ZoneId defaultZone, CommandPolicy policy) {
    this.defaultZone = defaultZone;
    this.policy = policy;
  }

  JobDraft forAdd(Params p, Instant now) {
    String id = p.requiredId("job_id");
    String name = p.requiredId("job_name");
    String type = p.requiredString("job_trigger", 16);
    String rule = p.requiredString("rule", MAX_RULE_LENGTH);
    String cmd = p.requiredString("cmd", MAX_CMD_LENGTH);
    return read(p, id, name, type, rule, cmd, null, now);
  }

  JobDraft forModify(Params p, Job existing, Instant now) {
    String name = or(p.optionalId("job_name"), existing.name());
    String type = or(p.optionalString("job_trigger", 16), existing.trigger());
    String rule = or(p.optionalString("rule", MAX_RULE_LENGTH), existing.rule());
    String cmd = or(p.optionalString("cmd", MAX_CMD_LENGTH), existing.cmd());
    return read(p, existing.id(), name, type, rule, cmd, existing, now);
  }

  private JobDraft read(Params p, String id, String name, String type, String rule, String cmd, Job existing,
                        Instant now) {
    ZoneId zone = zone(p, existing);
    Instant start = date(p, "start_date", zone, existing == null ? null : existing.startDate());
    Instant end = date(p, "end_date", zone, existing == null ? null : existing.endDate());
    if (start != null && end != null && end.isBefore(start)) {
      throw ApiException.invalid("end_date is before start_date");
    }
    TriggerSpec spec = new TriggerSpec(type, rule, zone, start, end);
    Trigger trigger = parse(spec, now);
    boolean sameSchedule = existing != null && sameTrigger(trigger, spec, existing);
    Instant anchor = sameSchedule ? existing.anchor() : now;
    if (sameSchedule) {
      trigger = parse(spec, anchor);
    }
    Command command;
    try {
      command = JobCompiler.command(cmd, policy);
    } catch (CommandException e) {
      throw ApiException.invalid("cmd: " + e.getMessage());
    }
    JsonObject options = JobOptionsReader.read(p, existing == null ? new JsonObject() : existing.options());
    if ((options.containsKey(JobOptionsReader.RUN_ON) || options.containsKey(JobOptionsReader.BROADCAST))
        && !(command instanceof Command.Process)) {
      throw ApiException.invalid("run_on and broadcast are for process commands only: worker nodes run programs,"
          + " not HTTP or event-bus calls");
    }
    String alertUrl = options.getString(JobOptionsReader.ALERT_URL);
    if (alertUrl != null) {
      try {
        policy.checkUrl(alertUrl); // a webhook is an HTTP call like a command's, to a host of the policy
      } catch (CommandException e) {
        throw ApiException.invalid("alert_url: " + e.getMessage());
      }
    }
    return new JobDraft(id, name, trigger, anchor, sameSchedule, cmd.strip(), command, start, end, options);
  }

  /**
   * An unchanged trigger keeps its anchor, so editing only a command does not shift an interval's grid; a changed
   * one is anchored now (a modified interval job first fires one interval after the modify).
   */
  private static Trigger parse(TriggerSpec spec, Instant anchor) {
    try {
      return Triggers.parse(spec, anchor);
    } catch (RuleException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static boolean sameTrigger(Trigger parsed, TriggerSpec spec, Job job) {
    return parsed.type().equals(job.trigger()) && parsed.rule().equals(job.rule())
        && spec.zone().equals(job.zone()) && Objects.equals(spec.startDate(), job.startDate())
        && Objects.equals(spec.endDate(), job.endDate());
  }

  private ZoneId zone(Params p, Job existing) {
    String name = p.optionalString("timezone", 64);
    if (name == null || name.isBlank()) {
      return existing != null && !p.isNull("timezone") ? existing.zone() : defaultZone;
    }
    try {
      return TimeFormats.zone(name.strip(), "timezone");
    } catch (RuleException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static Instant date(Params p, String field, ZoneId zone, Instant current) {
    if (p.isNull(field)) {
      return null;
    }
    String text = p.optionalString(field, 40);
    if (text == null || text.isBlank()) {
      return current;
    }
    try {
      return TimeFormats.parseDateTime(text.strip(), zone, field);
    } catch (RuleException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
