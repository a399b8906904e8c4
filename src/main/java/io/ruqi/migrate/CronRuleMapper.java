package io.ruqi.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an APScheduler cron trigger's fields as ruqi's six-field rule ({@code second minute hour day month
 * day_of_week}). Both number weekdays from Monday = 0, and both match a day only when day and day_of_week both do,
 * so fields carry over as APScheduler prints them, with two spellings changed: the day field's {@code last} is
 * {@code L}, and a weekday position ({@code 2nd fri}, {@code last sun}) moves to the weekday field as {@code 4#2},
 * {@code 6L}. What the six fields cannot say (a year, an ISO week, a position beside a weekday) is refused.
 */
final class CronRuleMapper {

  private CronRuleMapper() {
  }

  static String rule(ApsTrigger.Cron cron) {
    for (String name : List.of("year", "week")) {
      CronField field = cron.field(name);
      if (field != null && !field.isEverything()) {
        throw new NotMigratable("its cron rule restricts the " + name + " (" + name + "='" + field.text()
            + "'), which ruqi's six fields (second minute hour day month day_of_week) cannot say"
            + (name.equals("year") ? "; a start_date/end_date may do what you need" : ""));
      }
    }
    String day = text(cron, "day");
    String dayOfWeek = text(cron, "day_of_week");
    List<CronExpr.WeekdayPosition> positions = new ArrayList<>();
    CronField dayField = cron.field("day");
    if (dayField != null) {
      dayField.expressions().forEach(e -> {
        if (e instanceof CronExpr.WeekdayPosition p) {
          positions.add(p);
        }
      });
    }
    if (!positions.isEmpty()) {
      if (positions.size() != dayField.expressions().size()) {
        throw new NotMigratable("its day field '" + day + "' mixes weekday positions with days of the month,"
            + " which ruqi's rule cannot say in one field");
      }
      if (!"*".equals(dayOfWeek)) {
        throw new NotMigratable("its day field '" + day + "' names weekday positions and its day_of_week field '"
            + dayOfWeek + "' restricts the weekday too; ruqi's rule holds positions in the day_of_week field, so it"
            + " cannot say both");
      }
      List<String> weekdays = new ArrayList<>();
      for (CronExpr.WeekdayPosition p : positions) {
        weekdays.add(p.isLast() ? p.weekday() + "L" : p.weekday() + "#" + (p.option() + 1));
      }
      day = "*";
      dayOfWeek = String.join(",", weekdays);
    } else {
      day = day.replace("last", "L");
    }
    return String.join(" ", text(cron, "second"), text(cron, "minute"), text(cron, "hour"), day,
        text(cron, "month"), dayOfWeek);
  }

  private static String text(ApsTrigger.Cron cron, String name) {
    CronField field = cron.field(name);
    if (field == null) {
      throw new NotMigratable("its cron trigger has no " + name + " field");
    }
    return field.text();
  }
}
