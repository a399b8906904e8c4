package io.ruqi.api;

import io.ruqi.schedule.CalendarDays;
import io.ruqi.schedule.CalendarRule;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.schedule.Trigger;
import io.ruqi.schedule.TriggerSpec;
import io.ruqi.schedule.Triggers;
import io.ruqi.store.Job;
import io.ruqi.store.JobQuery;
import io.ruqi.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** The operations that read jobs or preview a rule; none of them writes. */
final class JobQueries {
  static final int MAX_NEXT_TIMES = 100;
  /**
   * The most fire times a preview looks at: with a calendar, a day ruled out costs one, so a calendar that rules
   * out nearly every day ends the preview early (after about 27 years of days for a daily job).
   */
  static final int MAX_LOOKED_AT = 10_000;

  private final JobStore store;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final Paging paging;
  private final CalendarCommands calendars;

  JobQueries(JobStore store, Clock clock, ZoneId serviceZone, Paging paging, CalendarCommands calendars) {
    this.calendars = calendars;
    this.store = store;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.paging = paging;
  }

  Future<Object> list(Params p) {
    Paging.Page page = paging.read(p);
    JobQuery query = new JobQuery(
        p.optionalString("job_id", Params.MAX_ID_LENGTH),
        p.optionalString("job_name", Params.MAX_ID_LENGTH),
        page.index(),
        page.size(),
        page.exactTotal());
    return store.list(emptyToNull(query)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Job job : rows.items()) {
        list.add(JobView.of(job, serviceZone));
      }
      return page.reply(rows.total(), rows.exact(), "list", list);
    });
  }

  Future<Object> show(Params p) {
    String id = p.requiredId("job_id");
    return store.find(id).map(job -> {
      if (job == null) {
        throw ApiException.noSuchJob(id);
      }
      return JobView.detailed(job, serviceZone);
    });
  }

  /**
   * The next fire times of a trigger and rule, for previews in forms; nothing is stored. With a calendar, the times
   * it rules out are left out, as the scheduler would skip them (looked at up to {@link #MAX_LOOKED_AT} times).
   */
  Future<Object> nextTimes(Params p) {
    String type = p.requiredString("job_trigger", 16);
    String rule = p.requiredString("rule", JobDraftReader.MAX_RULE_LENGTH);
    int count = orDefault(p.optionalInt("count", 1, MAX_NEXT_TIMES), 5);
    String zoneName = p.optionalString("timezone", 64);
    Instant now = clock.instant();
    JsonObject options = new JsonObject();
    JobOptionsReader.calendar(p, options);
    CalendarRule calendar = CalendarRule.of(options);
    try {
      ZoneId zone = zoneName == null || zoneName.isBlank() ? serviceZone : TimeFormats.zone(zoneName.strip(), "timezone");
      Instant start = date(p, "start_date", zone);
      Instant end = date(p, "end_date", zone);
      Trigger trigger = Triggers.parse(new TriggerSpec(type, rule, zone, start, end), now);
      Instant from = date(p, "from", zone);
      Future<CalendarDays> days = calendar == null ? Future.succeededFuture(null)
          : calendars.daysOf(calendar.calendar());
      return days.map(d -> {
        JsonArray times = new JsonArray();
        Instant after = from != null ? from : now;
        for (int looked = 0; looked < MAX_LOOKED_AT && times.size() < count; looked++) {
          Optional<Instant> next = trigger.next(after);
          if (next.isEmpty()) {
            break;
          }
          Instant t = next.get();
          if (calendar == null || calendar.rulesOut(t, zone, d) == null) {
            times.add(TimeFormats.format(t, zone));
            after = t;
          } else {
            // a calendar rules out whole days: the next candidate is the first fire of the next day
            after = t.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1);
          }
        }
        JsonObject reply = new JsonObject()
            .put("job_trigger", trigger.type())
            .put("rule", trigger.rule())
            .put("timezone", zone.getId())
            .put("times", times);
        if (calendar != null) {
          reply.put("calendar", calendar.calendar()).put("calendar_mode", calendar.mode());
        }
        return reply;
      });
    } catch (RuleException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static Instant date(Params p, String field, ZoneId zone) {
    String text = p.optionalString(field, 40);
    return text == null || text.isBlank() ? null : TimeFormats.parseDateTime(text.strip(), zone, field);
  }

  private static JobQuery emptyToNull(JobQuery q) {
    return new JobQuery(blankToNull(q.jobId()), blankToNull(q.jobName()), q.pageIndex(), q.pageSize(),
        q.exactTotal());
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static int orDefault(Integer v, int dflt) {
    return v == null ? dflt : v;
  }
}
