package io.ruqi.migrate;

import net.razorvine.pickle.objects.ClassDict;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an unpickled APScheduler 3 job state ({@code Job.__getstate__}: id, func, trigger, args, kwargs, name,
 * misfire_grace_time, coalesce, max_instances, next_run_time) into an {@link ApsJob}. Classes are recognised by
 * name, not module, so the triggers of RuQi's fork ({@code xlib.apscheduler.triggers...}) read as APScheduler's.
 * Naive times (the fork removed time zones) are read in the RuQi host's zone.
 */
final class JobStateReader {
  private final ZoneId hostZone;

  JobStateReader(ZoneId hostZone) {
    this.hostZone = hostZone;
  }

  ApsJob read(Object unpickled) {
    Map<?, ?> state = map(unpickled, "the job state");
    String id = text(state.get("id"), "id");
    String func = state.get("func") instanceof ClassDict ? null : PyText.of(state.get("func"));
    if (func == null) {
      throw new UnreadableState("its function is not a reference (module:name) but "
          + describe(state.get("func")));
    }
    ApsTrigger trigger = trigger(state.get("trigger"));
    Object misfire = state.get("misfire_grace_time");
    Duration grace = misfire == null ? null : seconds(misfire, "misfire_grace_time");
    return new ApsJob(id, func, list(state.get("args")), kwargs(state.get("kwargs")),
        state.get("name") == null ? null : text(state.get("name"), "name"), trigger, grace,
        bool(state.get("coalesce"), true), integer(state.get("max_instances"), 1),
        instant(state.get("next_run_time"), hostZone, "next_run_time"));
  }

  private ApsTrigger trigger(Object value) {
    if (!(value instanceof ClassDict trigger)) {
      throw new UnreadableState("its trigger is not a trigger object but " + describe(value));
    }
    String cls = simpleName(trigger);
    if (!trigger.getClassName().contains("triggers")) {
      return new ApsTrigger.Other(trigger.getClassName());
    }
    ZoneId zone = trigger.get("timezone") instanceof PyZone z ? z.zone() : null;
    if (trigger.get("timezone") != null && zone == null) {
      throw new UnreadableState("its trigger's time zone is " + describe(trigger.get("timezone"))
          + ", which this reader does not know");
    }
    ZoneId inZone = zone == null ? hostZone : zone;
    Instant start = instant(trigger.get("start_date"), inZone, "start_date");
    Instant end = instant(trigger.get("end_date"), inZone, "end_date");
    return switch (cls) {
      case "CronTrigger" -> new ApsTrigger.Cron(fields(trigger.get("fields")), inZone, start, end,
          jitter(trigger.get("jitter")));
      case "IntervalTrigger" -> new ApsTrigger.Interval(seconds(trigger.get("interval"), "interval"), inZone, start,
          end, jitter(trigger.get("jitter")));
      case "DateTrigger" -> date(trigger.get("run_date"), zone);
      default -> new ApsTrigger.Other(trigger.getClassName());
    };
  }

  private ApsTrigger date(Object value, ZoneId triggerZone) {
    if (!(value instanceof PyDateTime runDate)) {
      throw new UnreadableState("its date trigger has no run_date");
    }
    ZoneId zone = runDate.zone() != null ? runDate.zoneOr(hostZone) : triggerZone != null ? triggerZone : hostZone;
    return new ApsTrigger.Date(runDate.zone() != null ? runDate.instant(hostZone) : runDate.instant(zone),
        runDate.wall(), zone);
  }

  private List<CronField> fields(Object value) {
    List<CronField> fields = new ArrayList<>();
    for (Object f : list(value)) {
      if (!(f instanceof ClassDict field)) {
        throw new UnreadableState("a cron field is " + describe(f));
      }
      String name = text(field.get("name"), "a cron field's name");
      List<CronExpr> expressions = new ArrayList<>();
      for (Object e : list(field.get("expressions"))) {
        expressions.add(expression(e, name));
      }
      fields.add(new CronField(name, expressions));
    }
    return fields;
  }

  private static CronExpr expression(Object value, String field) {
    if (!(value instanceof ClassDict e)) {
      throw new UnreadableState("an expression of cron field " + field + " is " + describe(value));
    }
    Integer step = e.get("step") == null ? null : integer(e.get("step"), 0);
    return switch (simpleName(e)) {
      case "AllExpression" -> new CronExpr.All(step);
      case "RangeExpression" -> range(e, step, CronExpr.Names.NONE);
      case "MonthRangeExpression" -> range(e, step, CronExpr.Names.MONTH);
      case "WeekdayRangeExpression" -> range(e, step, CronExpr.Names.WEEKDAY);
      case "WeekdayPositionExpression" -> new CronExpr.WeekdayPosition(bounded(e.get("option_num"), 0, 5),
          bounded(e.get("weekday"), 0, 6));
      case "LastDayOfMonthExpression" -> new CronExpr.LastDayOfMonth();
      default -> throw new UnreadableState("cron field " + field + " holds a " + e.getClassName()
          + ", an expression this reader does not know");
    };
  }

  private static CronExpr range(ClassDict e, Integer step, CronExpr.Names names) {
    int first = integer(e.get("first"), 0);
    Integer last = e.get("last") == null ? null : integer(e.get("last"), 0);
    int max = names == CronExpr.Names.MONTH ? 12 : names == CronExpr.Names.WEEKDAY ? 6 : Integer.MAX_VALUE;
    int min = names == CronExpr.Names.MONTH ? 1 : 0;
    if (first < min || first > max || last != null && (last < min || last > max)) {
      throw new UnreadableState("a cron range " + first + "-" + last + " out of its field's names");
    }
    return new CronExpr.Range(first, last, step, names);
  }

  private Instant instant(Object value, ZoneId zone, String what) {
    if (value == null) {
      return null;
    }
    if (value instanceof PyDateTime t) {
      return t.instant(zone);
    }
    throw new UnreadableState(what + " is " + describe(value) + ", not a datetime");
  }

  private static Duration jitter(Object value) {
    return value == null ? null : seconds(value, "jitter");
  }

  private static Duration seconds(Object value, String what) {
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Number n) {
      return Duration.ofNanos(Math.round(n.doubleValue() * 1e9));
    }
    throw new UnreadableState(what + " is " + describe(value) + ", not seconds");
  }

  private static Map<String, Object> kwargs(Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    for (Map.Entry<?, ?> e : map(value, "kwargs").entrySet()) {
      Object v = e.getValue();
      boolean text = v instanceof String || v instanceof byte[] || v instanceof PyBytes;
      out.put(PyText.of(e.getKey()), text ? PyText.of(v) : v);
    }
    return out;
  }

  private static Map<?, ?> map(Object value, String what) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    throw new UnreadableState(what + " is " + describe(value) + ", not a dict");
  }

  private static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof Object[] tuple) {
      return Arrays.asList(tuple);
    }
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new UnreadableState("expected a list, found " + describe(value));
  }

  private static String text(Object value, String what) {
    String s = PyText.of(value);
    if (s == null) {
      throw new UnreadableState(what + " is " + describe(value) + ", not a text");
    }
    return s;
  }

  private static boolean bool(Object value, boolean otherwise) {
    if (value instanceof Boolean b) {
      return b;
    }
    return value instanceof Number n ? n.intValue() != 0 : otherwise;
  }

  private static int integer(Object value, int otherwise) {
    if (value instanceof Number n) {
      long v = n.longValue();
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new UnreadableState("the number " + v + " is out of range");
      }
      return (int) v;
    }
    return otherwise;
  }

  private static int bounded(Object value, int min, int max) {
    int v = integer(value, -1);
    if (v < min || v > max) {
      throw new UnreadableState("a weekday position " + value + " out of range");
    }
    return v;
  }

  private static String simpleName(ClassDict c) {
    String name = c.getClassName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof ClassDict c) {
      return "a " + c.getClassName();
    }
    return "a " + value.getClass().getSimpleName();
  }
}
