package io.ruqi.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ruqi's fire times and listed rules against real APScheduler 3 (Debian's python3-apscheduler, run by
 * /usr/bin/python3; scripts/setup.sh installs it), for a table of RuQi/APScheduler rules in several zones: what a
 * RuQi job fired at, the same job fires at here. The rules are written in APScheduler's syntax only (it has no
 * {@code L}, {@code W}, {@code #} or {@code ?}); each is given to APScheduler field by field, as RuQi's manager did,
 * and to ruqi as one line.
 */
class ApschedulerReferenceTest {
  static final String PYTHON = "/usr/bin/python3";
  static final List<String> ZONES = List.of("UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin");
  /** A Monday; the year ahead holds both DST changes of New York and Berlin. */
  static final Instant FROM = Instant.parse("2026-01-05T00:00:00Z");
  static final int COUNT = 12;

  /** second|minute|hour|day|month|day_of_week, and what RuQi listed for it (null: as APScheduler renders it). */
  static final String[][] RULES = {
      {"0|0|9|*|*|*", "0 0 9 * * *"},
      {"*/15|*|*|*|*|*", "*/15 * * * * *"},
      {"0|*/5|9-17|*|*|mon-fri", "0 */5 9-17 * * mon-fri"},
      {"0|0|12|last|*|*", "0 0 12 last * *"},
      {"0|30|8|2nd fri|*|*", "0 30 8 2nd fri * *"},
      {"0|30|8|last fri|*|*", "0 30 8 last fri * *"},
      {"0|0|10|1st mon|jan-jun|*", "0 0 10 1st mon jan-jun *"},
      {"0|0|10|5th sun|*|*", "0 0 10 5th sun * *"},
      {"0|0|18|3rd wed|*|*", "0 0 18 3rd wed * *"},
      {"0|0|9|LAST FRI|*|*", "0 0 9 last fri * *"},
      {"05|05|05|*|*|*", "5 5 5 * * *"},
      {"0|0|9|5-5|*|*", "0 0 9 5 * *"},
      {"0|0|9|1,15|*|*", "0 0 9 1,15 * *"},
      {"0|0|9|*/10|*|*", "0 0 9 */10 * *"},
      {"0|0|9|*|*|*/2", "0 0 9 * * */2"},
      {"0|0|9|*|*|0", "0 0 9 * * 0"},
      {"0|0|9|*|*|6", "0 0 9 * * 6"},
      {"0|0|9|*|*|MON,wed,Fri", "0 0 9 * * mon,wed,fri"},
      {"0|0|9|13|*|fri", "0 0 9 13 * fri"},
      {"0|0|9|last|*|mon-fri", "0 0 9 last * mon-fri"},
      {"0|0|9|last|2-3|*", "0 0 9 last 2-3 *"},
      {"30|5/20|*|*|*|*", "30 5/20 * * * *"},
      {"0|0|0|29|feb|*", "0 0 0 29 feb *"},
      {"0|0|9|*|jan,jul|mon", "0 0 9 * jan,jul mon"},
      {"0|0|9|1-7|*|mon", "0 0 9 1-7 * mon"},
      {"0|0|9|*|1-12/3|*", "0 0 9 * 1-12/3 *"},
      {"0|0|*/6|*|*|*", "0 0 */6 * * *"},
      {"0|15,45|*|*|*|sat-sun", "0 15,45 * * * sat-sun"},
  };
  /** Interval rules, their seconds, and the anchor (the add): the grid runs in real time, also across DST. */
  static final String[][] INTERVALS = {{"10s", "10"}, {"1h30m", "5400"}, {"1d", "86400"}, {"7d", "604800"}};
  static final Instant ANCHOR = Instant.parse("2026-03-01T12:34:56Z");

  static Path script;

  @BeforeAll
  static void script() throws Exception {
    script = Files.createTempFile("apscheduler_fire_times", ".py");
    script.toFile().deleteOnExit();
    try (InputStream in = ApschedulerReferenceTest.class.getResourceAsStream("/apscheduler_fire_times.py")) {
      Files.write(script, in.readAllBytes());
    }
  }

  /** Runs APScheduler once for every case. */
  static JsonArray apscheduler(JsonArray cases) throws Exception {
    Process p = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(cases.encode().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "APScheduler answers");
    assertEquals(0, p.exitValue(), "APScheduler ran (is python3-apscheduler installed? scripts/setup.sh): " + out);
    return new JsonArray(out);
  }

  static JsonArray millis(List<Instant> times) {
    JsonArray a = new JsonArray();
    times.forEach(t -> a.add(t.toEpochMilli()));
    return a;
  }

  @Test
  void cron_rules_fire_when_apscheduler_fires_them_and_list_as_ruqi_listed_them() throws Exception {
    JsonArray cases = new JsonArray();
    List<String> names = new ArrayList<>();
    for (String zone : ZONES) {
      for (String[] rule : RULES) {
        cases.add(new JsonObject().put("fields", new JsonArray(List.of((Object[]) rule[0].split("\\|"))))
            .put("zone", zone).put("from", FROM.toEpochMilli()).put("count", COUNT));
        names.add(rule[0] + " in " + zone);
      }
    }
    JsonArray reference = apscheduler(cases);
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonObject c = cases.getJsonObject(i);
      JsonObject ref = reference.getJsonObject(i);
      String line = String.join(" ", c.getJsonArray("fields").stream().map(String::valueOf).toList());
      String listed = RULES[i % RULES.length][1];
      assertEquals(null, ref.getString("error"), names.get(i) + ": APScheduler takes it");
      Trigger t = Triggers.parse(new TriggerSpec("cron", line, ZoneId.of(c.getString("zone"))), FROM);
      JsonArray ours = millis(Triggers.nextTimes(t, FROM, COUNT));
      if (!ours.equals(ref.getJsonArray("times"))) {
        differences.add(names.get(i) + ": APScheduler " + readable(ref.getJsonArray("times"), c) + ", ruqi "
            + readable(ours, c));
      }
      assertEquals(ref.getString("listed"), listed, names.get(i) + ": the table says what APScheduler listed");
      assertEquals(listed, t.rule(), names.get(i) + ": listed as RuQi listed it");
    }
    assertEquals(List.of(), differences);
  }

  @Test
  void interval_rules_fire_on_apschedulers_grid() throws Exception {
    JsonArray cases = new JsonArray();
    for (String zone : ZONES) {
      for (String[] interval : INTERVALS) {
        cases.add(new JsonObject().put("interval", Long.parseLong(interval[1])).put("anchor", ANCHOR.toEpochMilli())
            .put("zone", zone).put("from", ANCHOR.plus(Duration.ofDays(3)).toEpochMilli()).put("count", COUNT));
      }
    }
    JsonArray reference = apscheduler(cases);
    for (int i = 0; i < cases.size(); i++) {
      JsonObject c = cases.getJsonObject(i);
      String rule = INTERVALS[i % INTERVALS.length][0];
      Trigger t = Triggers.parse(new TriggerSpec("interval", rule, ZoneId.of(c.getString("zone"))), ANCHOR);
      assertEquals(reference.getJsonObject(i).getJsonArray("times"),
          millis(Triggers.nextTimes(t, Instant.ofEpochMilli(c.getLong("from")), COUNT)), rule + " in " + c.getString("zone"));
    }
  }

  private static String readable(JsonArray millis, JsonObject c) {
    ZoneId zone = ZoneId.of(c.getString("zone"));
    return millis.stream().map(m -> Instant.ofEpochMilli((Long) m).atZone(zone).toLocalDateTime().toString()).toList()
        .toString();
  }
}
