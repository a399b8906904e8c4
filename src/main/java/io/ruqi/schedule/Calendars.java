package io.ruqi.schedule;

import io.ruqi.store.CalendarRecord;
import io.ruqi.store.CalendarStore;
import io.ruqi.store.Job;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's copy of the calendars, which the claims judge fires by (a fire is judged as it is claimed, so a
 * change also reaches the fires already in the heap). Loaded at start; refreshed on a change notice
 * ({@link SchedulerBus#CALENDARS_CHANGED}), on {@code scheduler_wakeup}, and every {@link #REFRESH} in any case, so a
 * node that missed a notice (a pair that shares only its database) is behind by at most that. A refresh reads the
 * names and versions only and reloads the calendars only when one changed. Confined to the scheduler's event loop.
 */
final class Calendars {
  private static final Logger LOG = LoggerFactory.getLogger(Calendars.class);
  /** The most a node that missed a change notice judges fires by an old calendar. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private final CalendarStore store;
  private Map<String, CalendarRecord> versions = Map.of();
  private Map<String, CalendarDays> days = Map.of();
  private Future<Void> inFlight;
  /** The missing calendars a job named that were logged since the last load. */
  private final java.util.Set<String> missingWarned = new java.util.HashSet<>();
  /** A refresh was asked for while one ran: that one may have read the versions before the change. */
  private boolean again;
  /** The last refresh failed (the store is out of reach): said once. */
  private boolean failing;

  /** @param store null: no calendars (a scheduler built by a test without them) */
  Calendars(CalendarStore store) {
    this.store = store;
  }

  /** Why {@code job}'s fire at {@code fire} must not run by its calendar, or null (it names none, or allows it). */
  String rulesOut(Job job, java.time.Instant fire) {
    CalendarRule rule = CalendarRule.of(job.options());
    if (rule == null) {
      return null;
    }
    CalendarDays listed = days.get(rule.calendar());
    if (listed == null && missingWarned.add(rule.calendar())) {
      // a calendar_delete that raced the job's add: said once per calendar until the calendars are read again
      LOG.warn("job {} names calendar {}, which does not exist: it counts as listing no day", job.id(),
          rule.calendar());
    }
    return rule.rulesOut(fire, job.zone(), listed);
  }

  /** Reads every calendar; at start, before the first claim. */
  Future<Void> load() {
    if (store == null) {
      return Future.succeededFuture();
    }
    return store.list().map(all -> {
      Map<String, CalendarRecord> v = new HashMap<>();
      Map<String, CalendarDays> d = new HashMap<>();
      for (CalendarRecord r : all) {
        v.put(r.name(), r);
        try {
          d.put(r.name(), CalendarDays.parse(new JsonArray(r.days()).getList()));
        } catch (RuntimeException bad) {
          // written by the API, which checks every entry: a row edited by hand is kept as no days, and said
          LOG.error("calendar {} cannot be read ({}); it counts as listing no day", r.name(), bad.getMessage());
          d.put(r.name(), CalendarDays.NONE);
        }
      }
      versions = v;
      days = d;
      missingWarned.clear();
      return null;
    });
  }

  /** Reloads when a calendar was added, changed or removed since the last load; one refresh at a time. */
  Future<Void> refresh() {
    if (store == null) {
      return Future.succeededFuture();
    }
    if (inFlight != null) {
      again = true;
      return inFlight;
    }
    Future<Void> f = store.versions().compose(now -> changed(now) ? load() : Future.<Void>succeededFuture())
        .onSuccess(v -> failing = false)
        .onFailure(e -> {
          if (!failing) { // once per outage, not every 5 s of it
            LOG.warn("calendars: cannot refresh ({}); fires are judged by the copy of before", e.getMessage());
          }
          failing = true;
        })
        .onComplete(ar -> {
          inFlight = null;
          if (again) {
            again = false;
            refresh();
          }
        });
    inFlight = f.isComplete() ? null : f;
    return f;
  }

  private boolean changed(List<CalendarRecord> now) {
    if (now.size() != versions.size()) {
      return true;
    }
    for (CalendarRecord r : now) {
      if (!r.sameVersion(versions.get(r.name()))) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return days.size();
  }
}
