package io.ruqi.api;

import io.ruqi.schedule.CalendarDays;
import io.ruqi.schedule.CalendarRule;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.SchedulerBus;
import io.ruqi.store.CalendarRecord;
import io.ruqi.store.CalendarStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The calendar operations: set (create or replace), get, list, delete. A change is validated whole before it is
 * written, committed with its audit row (as a job's add and edit are), durable before it is answered, and told to
 * every node
 * ({@link SchedulerBus#CALENDARS_CHANGED}) so their copies follow at once.
 */
final class CalendarCommands {
  /** The most calendars: every node keeps all of them in memory and reloads them all on a change. */
  static final int MAX_CALENDARS = 200;
  /** How many of the jobs that keep a calendar from being removed are named in the refusal. */
  static final int NAMED_JOBS = 10;
  static final int MAX_NAME_LENGTH = 64;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0," + (MAX_NAME_LENGTH - 1) + "}");

  private final CalendarStore store;
  private final EventBus bus;
  private final AuditLog audit;
  private final Clock clock;
  private final ZoneId serviceZone;

  CalendarCommands(CalendarStore store, EventBus bus, AuditLog audit, Clock clock, ZoneId serviceZone) {
    this.store = store;
    this.bus = bus;
    this.audit = audit;
    this.clock = clock;
    this.serviceZone = serviceZone;
  }

  Future<Object> set(Params p) {
    String name = name(p);
    CalendarDays days = days(p);
    String stored = new JsonArray(days.entries()).encode();
    return store.find(name)
        .compose(current -> current != null ? Future.succeededFuture() : store.count().map(n -> {
          if (n >= MAX_CALENDARS) {
            throw ApiException.invalid("there are " + n + " calendars already, the most there may be; remove one"
                + " first");
          }
          return null;
        }))
        .compose(v -> store.put(name, stored, clock.instant(),
            change -> audit.row(p, null, view(change.before()), view(change.after()))))
        .recover(e -> Future.failedFuture(store.isDuplicate(e) ? ApiException.conflict("calendar " + name
            + " was created by another request meanwhile; nothing was changed, try again") : e))
        .map(change -> {
          changed(name);
          return view(change.after());
        });
  }

  Future<Object> get(Params p) {
    String name = name(p);
    return store.find(name).map(r -> {
      if (r == null) {
        throw noSuchCalendar(name);
      }
      return view(r);
    });
  }

  Future<Object> list(Params p) {
    return store.list().map(all -> {
      JsonArray list = new JsonArray();
      all.forEach(r -> list.add(view(r)));
      return new JsonObject().put("list", list).put("total", all.size());
    });
  }

  Future<Object> delete(Params p) {
    String name = name(p);
    return store.delete(name, NAMED_JOBS, removed -> audit.row(p, null, view(removed), null)).map(r -> {
      if (!r.namedBy().isEmpty()) {
        throw ApiException.duplicate("calendar " + name + " is named by job" + (r.namedBy().size() == 1 ? " " : "s ")
            + String.join(", ", r.namedBy()) + (r.namedBy().size() >= NAMED_JOBS ? " and maybe more" : "")
            + "; change or remove them first (calendar: null); nothing was removed");
      }
      if (r.removed() == null) {
        throw noSuchCalendar(name);
      }
      changed(name);
      return new JsonObject().put("removed", name);
    });
  }

  /** Fails with ERR when a job's options name a calendar that does not exist. */
  Future<Void> exist(Collection<JsonObject> options) {
    Set<String> names = new TreeSet<>();
    options.forEach(o -> {
      CalendarRule rule = CalendarRule.of(o);
      if (rule != null) {
        names.add(rule.calendar());
      }
    });
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> store.find(name).map(r -> {
        if (r == null) {
          throw ApiException.invalid("calendar: there is no calendar " + name + "; create it first (calendar_set)");
        }
        return null;
      }));
    }
    return chain;
  }

  Future<Void> exists(JsonObject options) {
    return exist(List.of(options));
  }

  /** The days of a calendar, or null when there is none: for job_next_times. */
  Future<CalendarDays> daysOf(String name) {
    return store.find(name).map(r -> {
      if (r == null) {
        throw ApiException.invalid("calendar: there is no calendar " + name);
      }
      return CalendarDays.parse(new JsonArray(r.days()).getList());
    });
  }

  /** A calendar's name: like a job_id, but short and plain, since it is matched inside the jobs' options. */
  static String checkedName(String name, String field) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(field + ": '" + (name.length() > 80 ? name.substring(0, 80) + "..." : name)
          + "' is no calendar name: 1 to " + MAX_NAME_LENGTH + " letters, digits, '_', '.' or '-', starting with a"
          + " letter or digit");
    }
    return name;
  }

  private static String name(Params p) {
    return checkedName(p.requiredString(ApiContract.CALENDAR.name(), 255).strip(), ApiContract.CALENDAR.name());
  }

  /** A list of entries, or one text of entries separated by commas or white space (a form's text area). */
  private static CalendarDays days(Params p) {
    Object v = p.value("days");
    List<?> entries;
    if (v instanceof JsonArray a) {
      entries = a.getList();
    } else if (v instanceof String s) {
      entries = Arrays.stream(s.split("[,\\s]+")).filter(e -> !e.isEmpty()).toList();
    } else {
      throw ApiException.badParams("days must be a list of days, e.g. [\"2026-12-25\", \"2026-12-24..2026-12-26\","
          + " \"--01-01\"]");
    }
    try {
      return CalendarDays.parse(entries);
    } catch (RuleException e) {
      throw ApiException.invalid(e.field() + ": " + e.getMessage());
    }
  }

  private void changed(String name) {
    bus.publish(SchedulerBus.CALENDARS_CHANGED, new JsonObject().put("calendar", name));
  }

  private JsonObject view(CalendarRecord r) {
    if (r == null) {
      return null;
    }
    return new JsonObject().put("calendar", r.name()).put("days", new JsonArray(r.days())).put("version", r.version())
        .put("c_time", JobView.format(r.created(), serviceZone))
        .put("u_time", JobView.format(r.modified(), serviceZone));
  }

  private static ApiException noSuchCalendar(String name) {
    return new ApiException(Stat.ERR, 404, "No calendar by the name of " + name + " was found");
  }
}
