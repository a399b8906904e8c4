package io.ruqi.schedule;

import io.ruqi.store.Job;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place a {@link Trigger} is built: from what a user asked for ({@link TriggerSpec}) or from a stored job's
 * columns; every invalid input becomes a {@link RuleException}.
 */
public final class Triggers {

  private Triggers() {
  }

  /**
   * @param anchor when the job was added or modified: {@code now} for a date rule, and the interval grid starts one
   *               interval after it when there is no start date
   * @throws RuleException naming the bad field ({@code job_trigger}, {@code rule}, {@code rule.second}, {@code end_date})
   */
  public static Trigger parse(TriggerSpec spec, Instant anchor) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(anchor, "anchor");
    String type = spec.type() == null ? "" : spec.type().trim().toLowerCase(Locale.ROOT);
    if (!List.of("cron", "interval", "date").contains(type)) {
      throw new RuleException("job_trigger",
          "job_trigger must be one of cron, interval, date (got '" + (spec.type() == null ? "" : spec.type()) + "')");
    }
    if (spec.rule() == null || spec.rule().isBlank()) {
      throw new RuleException("rule", "rule is empty; a " + type + " rule is required");
    }
    // a zone-less spec is read as UTC rather than the server's zone, so the result never depends on the host
    ZoneId zone = spec.zone() == null ? ZoneOffset.UTC : spec.zone();
    Instant start = spec.startDate();
    Instant end = spec.endDate();
    if (start != null && end != null && end.isBefore(start)) {
      throw new RuleException("end_date", "end_date " + TimeFormats.format(end, zone)
          + " is before start_date " + TimeFormats.format(start, zone));
    }
    return switch (type) {
      case "cron" -> CronTrigger.parse(spec.rule(), zone, anchor, start, end);
      case "interval" -> IntervalTrigger.parse(spec.rule(), zone, anchor, start, end);
      default -> DateTrigger.parse(spec.rule(), zone, anchor, start, end);
    };
  }

  /** The trigger of a stored job, rebuilt from its columns. */
  public static Trigger of(Job job) {
    return parse(new TriggerSpec(job.trigger(), job.rule(), job.zone(), job.startDate(), job.endDate()), job.anchor());
  }

  /** Up to {@code count} fire times strictly after {@code from}, fewer when the trigger stops firing. */
  public static List<Instant> nextTimes(Trigger trigger, Instant from, int count) {
    List<Instant> times = new ArrayList<>(Math.max(0, count));
    Instant after = from;
    while (times.size() < count) {
      Optional<Instant> next = trigger.next(after);
      if (next.isEmpty()) {
        break;
      }
      after = next.get();
      times.add(after);
    }
    return times;
  }
}
