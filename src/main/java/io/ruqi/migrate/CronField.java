package io.ruqi.migrate;

import java.util.List;
import java.util.stream.Collectors;

/** One field of an APScheduler cron trigger and its compiled expressions ({@code BaseField} and subclasses). */
record CronField(String name, List<CronExpr> expressions) {

  /** The field as APScheduler prints it ({@code BaseField.__str__}): its expressions joined by commas. */
  String text() {
    return expressions.stream().map(CronExpr::text).collect(Collectors.joining(","));
  }

  boolean isEverything() {
    return expressions.size() == 1 && expressions.get(0) instanceof CronExpr.All all && all.step() == null;
  }
}
