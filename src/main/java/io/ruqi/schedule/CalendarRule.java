package io.ruqi.schedule;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A job's calendar as its options name it: {@code calendar} and {@code calendar_mode} ({@code skip}, the default:
 * no fire on a listed day; {@code only}: fires on listed days only). The one judge of a fire, for the scheduler and
 * for job_next_times alike.
 */
public record CalendarRule(String calendar, boolean only) {
  public static final String CALENDAR = "calendar";
  public static final String MODE = "calendar_mode";
  public static final String SKIP = "skip";
  public static final String ONLY = "only";

  /** The rule of a job's options, or null when it names no calendar. */
  public static CalendarRule of(JsonObject options) {
    String name = options == null ? null : options.getString(CALENDAR);
    return name == null ? null : new CalendarRule(name, ONLY.equals(options.getString(MODE)));
  }

  public String mode() {
    return only ? ONLY : SKIP;
  }

  /**
   * Why the fire at {@code fire} must not run, or null when it runs. {@code days} null: the calendar does not exist
   * (it was removed in a race with the job's add), which counts as a calendar without days.
   */
  public String rulesOut(Instant fire, ZoneId zone, CalendarDays days) {
    LocalDate day = fire.atZone(zone).toLocalDate();
    boolean listed = days != null && days.lists(day);
    if (listed == only) {
      return null;
    }
    String missing = days == null ? ", which does not exist," : "";
    return only ? "not run: calendar " + calendar + missing + " (only) does not list " + day
        : "not run: calendar " + calendar + " (skip) lists " + day;
  }
}
