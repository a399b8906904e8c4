package io.ruqi.migrate;

import io.ruqi.schedule.TriggerSpec;
import io.ruqi.schedule.Triggers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APScheduler's cron fields written as ruqi's six-field rule, and what cannot be written refused. */
class CronRuleMapperTest {

  static CronField field(String name, CronExpr... exprs) {
    return new CronField(name, List.of(exprs));
  }

  static CronExpr.Range num(int v) {
    return new CronExpr.Range(v, v, null, CronExpr.Names.NONE);
  }

  static final CronExpr ALL = new CronExpr.All(null);

  /** A trigger with APScheduler's eight fields, {@code *} wherever {@code given} says nothing. */
  static ApsTrigger.Cron cron(CronField... given) {
    List<CronField> fields = new ArrayList<>();
    for (String name : List.of("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")) {
      CronField f = field(name, ALL);
      for (CronField g : given) {
        if (g.name().equals(name)) {
          f = g;
        }
      }
      fields.add(f);
    }
    return new ApsTrigger.Cron(fields, ZoneOffset.UTC, null, null, null);
  }

  @Test
  void fields_print_as_apscheduler_prints_them() {
    String rule = CronRuleMapper.rule(cron(field("second", new CronExpr.All(15)),
        field("minute", new CronExpr.Range(5, 40, 5, CronExpr.Names.NONE)), field("hour", num(9), num(17)),
        field("month", new CronExpr.Range(1, null, null, CronExpr.Names.MONTH),
            new CronExpr.Range(7, 9, null, CronExpr.Names.MONTH)),
        field("day_of_week", new CronExpr.Range(0, 4, null, CronExpr.Names.WEEKDAY)),
        field("day", new CronExpr.Range(5, null, 10, CronExpr.Names.NONE))));
    assertEquals("*/15 5-40/5 9,17 5/10 jan,jul-sep mon-fri", rule);
    Triggers.parse(new TriggerSpec("cron", rule, ZoneOffset.UTC), Instant.EPOCH); // ruqi takes it
  }

  @Test
  void the_last_day_and_weekday_positions_use_ruqis_spelling() {
    assertEquals("0 0 0 L * *", CronRuleMapper.rule(cron(field("day", new CronExpr.LastDayOfMonth()),
        field("hour", num(0)), field("minute", num(0)), field("second", num(0)))));
    String positions = CronRuleMapper.rule(cron(field("day", new CronExpr.WeekdayPosition(1, 4),
        new CronExpr.WeekdayPosition(5, 6)), field("hour", num(10)), field("minute", num(0)), field("second", num(0))));
    assertEquals("0 0 10 * * 4#2,6L", positions);
  }

  @Test
  void what_six_fields_cannot_say_is_refused_not_guessed() {
    assertTrue(assertThrows(NotMigratable.class, () -> CronRuleMapper.rule(cron(field("year", num(2031)))))
        .getMessage().contains("year='2031'"));
    assertTrue(assertThrows(NotMigratable.class, () -> CronRuleMapper.rule(cron(field("week", num(10)))))
        .getMessage().contains("week='10'"));
    assertTrue(assertThrows(NotMigratable.class, () -> CronRuleMapper.rule(cron(
        field("day", new CronExpr.WeekdayPosition(0, 0)), field("day_of_week", new CronExpr.Range(0, 4, null,
            CronExpr.Names.WEEKDAY))))).getMessage().contains("day_of_week"));
    assertTrue(assertThrows(NotMigratable.class, () -> CronRuleMapper.rule(cron(
        field("day", new CronExpr.WeekdayPosition(0, 0), num(15))))).getMessage().contains("mixes"));
  }
}
