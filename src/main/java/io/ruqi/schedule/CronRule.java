package io.ruqi.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.And;
import com.cronutils.model.field.expression.Between;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.value.IntegerFieldValue;
import com.cronutils.parser.CronParser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text side of a cron rule: splits and normalises the six fields, hands them to cron-utils and turns cron-utils'
 * field-less error messages into ones that name the field ({@code rule.second}: "second: 70 is out of range 0-59").
 */
final class CronRule {

  static final List<String> FIELD_NAMES = List.of("second", "minute", "hour", "day", "month", "day_of_week");
  private static final CronFieldName[] CRON_UTILS_FIELDS = {
      CronFieldName.SECOND, CronFieldName.MINUTE, CronFieldName.HOUR,
      CronFieldName.DAY_OF_MONTH, CronFieldName.MONTH, CronFieldName.DAY_OF_WEEK};
  private static final int DAY = 3;
  private static final int DAY_OF_WEEK = 5;

  /**
   * APScheduler's ranges and weekday numbering (0 = Monday ... 6 = Sunday), Quartz's L, W, LW, # and ?, and
   * day-of-month AND day-of-week when both are restricted (cron-utils does AND for custom definitions anyway; the flag
   * makes the intent explicit).
   */
  static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
      .withSeconds().withValidRange(0, 59).and()
      .withMinutes().withValidRange(0, 59).and()
      .withHours().withValidRange(0, 23).and()
      .withDayOfMonth().withValidRange(1, 31)
      .supportsL().supportsW().supportsLW().supportsQuestionMark().and()
      .withMonth().withValidRange(1, 12).and()
      .withDayOfWeek().withValidRange(0, 6).withMondayDoWValue(0)
      .supportsHash().supportsL().supportsQuestionMark().and()
      .matchDayOfWeekAndDayOfMonth()
      .instance();

  private static final Pattern VALUE_OUT_OF_RANGE = Pattern.compile("Value (\\d+) not in range \\[(\\d+), (\\d+)\\]");
  private static final Pattern STEP_OUT_OF_RANGE = Pattern.compile("Period (\\d+) not in range \\[(\\d+), (\\d+)\\]");
  private static final Pattern NTH_WEEKDAY = Pattern.compile("#(\\d+)");
  private static final String[] FORMS = {
      "numbers 0-59, *, a-b, */n, a-b/n, lists a,b",
      "numbers 0-59, *, a-b, */n, a-b/n, lists a,b",
      "numbers 0-23, *, a-b, */n, a-b/n, lists a,b",
      "numbers 1-31, *, ?, a-b, */n, lists, last or L, L-n, nW, LW, or one of 1st-5th or last and a weekday"
          + " name (2nd fri, last fri)",
      "numbers 1-12 or jan-dec, *, a-b, */n, lists",
      "numbers 0-6 (0 = Monday) or mon-sun, *, ?, a-b, lists, nL (last), n#k (k-th)"};

  final String text;
  final Cron cron;

  private CronRule(String text, Cron cron) {
    this.text = text;
    this.cron = cron;
  }

  /**
   * @param rule six fields; APScheduler's day expressions ({@code last}, {@code 2nd fri}, {@code last fri}) are
   *             taken as well as Quartz's ({@code L}, {@code fri#2}, {@code friL}). The rule's text becomes the
   *             fields as RuQi listed them ({@link CronText}), and cron-utils gets them in Quartz's spelling.
   */
  static CronRule parse(String rule) {
    List<String> written = CronText.fields(rule);
    if (written.size() != FIELD_NAMES.size()) {
      throw new RuleException("rule", "cron needs 6 fields: second minute hour day month day_of_week (got "
          + written.size() + ")");
    }
    String[] asWritten = written.toArray(String[]::new);
    String[] listed = new String[asWritten.length];
    for (int i = 0; i < listed.length; i++) {
      listed[i] = CronText.render(asWritten[i]);
    }
    DayPosition.Quartz day = DayPosition.translate(listed[DAY], listed[DAY_OF_WEEK]);
    String[] fields = listed.clone();
    fields[DAY] = day.day();
    fields[DAY_OF_WEEK] = day.dayOfWeek();
    checkBeforeCronUtils(fields);
    Cron cron;
    try {
      cron = new CronParser(DEFINITION).parse(String.join(" ", fields));
    } catch (IllegalArgumentException e) {
      throw blameOneField(fields, asWritten, e);
    }
    checkRangesRunForward(asWritten, cron);
    return new CronRule(String.join(" ", listed), cron);
  }

  /** True when the hour field is {@code *}: such a rule follows real time through a repeated hour. */
  boolean everyHour() {
    return cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always;
  }

  private static void checkBeforeCronUtils(String[] fields) {
    String dow = fields[DAY_OF_WEEK];
    if (dow.equals("L")) {
      throw fieldError(DAY_OF_WEEK, "day_of_week: L alone is ambiguous; write the weekday before it, e.g. 4L or friL"
          + " for the last Friday of the month");
    }
    Matcher nth = NTH_WEEKDAY.matcher(dow);
    while (nth.find()) {
      int k = Integer.parseInt(nth.group(1));
      if (k < 1 || k > 5) {
        throw fieldError(DAY_OF_WEEK, "day_of_week: " + dow + " asks for occurrence " + k + " of the month;"
            + " it must be 1-5");
      }
    }
    if (fields[DAY].equals("?") && dow.equals("?")) {
      throw new RuleException("rule", "day and day_of_week cannot both be ?");
    }
  }

  /** cron-utils does not say which field failed: parse each field alone (others {@code *}) to find it. */
  private static RuleException blameOneField(String[] fields, String[] asWritten, IllegalArgumentException whole) {
    for (int i = 0; i < fields.length; i++) {
      String[] probe = {"*", "*", "*", "*", "*", "*"};
      probe[i] = fields[i];
      try {
        new CronParser(DEFINITION).parse(String.join(" ", probe));
      } catch (IllegalArgumentException e) {
        return fieldError(i, describe(i, asWritten[i], e.getMessage()));
      }
    }
    return new RuleException("rule", "cron '" + String.join(" ", fields) + "': " + stripPrefix(whole.getMessage()));
  }

  private static String describe(int index, String field, String cronUtilsMessage) {
    String name = FIELD_NAMES.get(index);
    String message = cronUtilsMessage == null ? "" : cronUtilsMessage;
    Matcher value = VALUE_OUT_OF_RANGE.matcher(message);
    if (value.find()) {
      String bad = value.group(1);
      String range = value.group(2) + "-" + value.group(3);
      if (index == DAY_OF_WEEK && bad.equals("7")) {
        return "day_of_week: 7 is out of range 0-6 (here 0 = Monday ... 6 = Sunday, not Unix cron's 0/7 = Sunday);"
            + " write 6 or use names such as sun, mon-fri";
      }
      return name + ": " + bad + " is out of range " + range + (index == DAY_OF_WEEK ? " (0 = Monday ... 6 = Sunday)" : "");
    }
    Matcher step = STEP_OUT_OF_RANGE.matcher(message);
    if (step.find()) {
      return name + ": step " + step.group(1) + " is out of range 1-" + step.group(3);
    }
    return name + ": '" + field + "' is not valid; use " + FORMS[index];
  }

  private static void checkRangesRunForward(String[] fields, Cron cron) {
    for (int i = 0; i < fields.length; i++) {
      List<Between> ranges = new ArrayList<>();
      collectRanges(cron.retrieve(CRON_UTILS_FIELDS[i]).getExpression(), ranges);
      for (Between range : ranges) {
        if (range.getFrom() instanceof IntegerFieldValue from && range.getTo() instanceof IntegerFieldValue to
            && from.getValue() > to.getValue()) {
          throw fieldError(i, FIELD_NAMES.get(i) + ": range in '" + fields[i] + "' runs backwards ("
              + from.getValue() + " > " + to.getValue() + "); write the smaller value first");
        }
      }
    }
  }

  private static void collectRanges(FieldExpression expression, List<Between> into) {
    if (expression instanceof Between between) {
      into.add(between);
    } else if (expression instanceof Every every) {
      collectRanges(every.getExpression(), into);
    } else if (expression instanceof And and) {
      and.getExpressions().forEach(e -> collectRanges(e, into));
    }
  }

  private static RuleException fieldError(int index, String message) {
    return new RuleException("rule." + FIELD_NAMES.get(index), message);
  }

  private static String stripPrefix(String message) {
    return message == null ? "invalid" : message.replace("Failed to parse cron expression. ", "");
  }
}
