package io.ruqi.migrate;

import java.util.List;

/**
 * An expression of an APScheduler cron field ({@code apscheduler.triggers.cron.expressions}), printed back as
 * APScheduler prints it ({@code __str__}), so that a rule reads as the user wrote it to RuQi.
 */
sealed interface CronExpr {
  List<String> WEEKDAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  List<String> POSITIONS = List.of("1st", "2nd", "3rd", "4th", "5th", "last");

  String text();

  /** {@code *} or {@code *}/step. */
  record All(Integer step) implements CronExpr {
    @Override
    public String text() {
      return step == null ? "*" : "*/" + step;
    }
  }

  /**
   * {@code first}, {@code first-last}, with an optional {@code /step}; {@code last} null with a step means up to the
   * field's maximum ({@code 5/20}). Month and weekday ranges print as names.
   */
  record Range(int first, Integer last, Integer step, Names names) implements CronExpr {
    @Override
    public String text() {
      if (names != Names.NONE) {
        String a = names.name(first);
        return last != null && last != first ? a + "-" + names.name(last) : a;
      }
      String range = last != null && last != first ? first + "-" + last : Integer.toString(first);
      return step == null ? range : range + "/" + step;
    }
  }

  /** {@code 2nd fri}, {@code last sun}: the n-th (or last) given weekday of the month, in the day field. */
  record WeekdayPosition(int option, int weekday) implements CronExpr {
    @Override
    public String text() {
      return POSITIONS.get(option) + " " + WEEKDAYS.get(weekday);
    }

    boolean isLast() {
      return option == 5;
    }
  }

  /** {@code last}: the last day of the month, in the day field. */
  record LastDayOfMonth() implements CronExpr {
    @Override
    public String text() {
      return "last";
    }
  }

  /** How a range's values print. */
  enum Names {
    NONE, MONTH, WEEKDAY;

    String name(int value) {
      return switch (this) {
        case MONTH -> MONTHS.get(value - 1);
        case WEEKDAY -> WEEKDAYS.get(value);
        case NONE -> Integer.toString(value);
      };
    }
  }
}
