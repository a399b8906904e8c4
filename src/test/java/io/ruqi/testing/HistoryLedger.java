package io.ruqi.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Fires counted twice, independently, as the HA pair's tests count them: by the history the API shows (whole
 * seconds) and by the requests a real {@link HttpSink} received ({@code Idempotency-Key}: {@code <job_id>@<fire
 * epoch ms>}), with the table's own milliseconds to judge skipped fires. Each check answers its broken promises as
 * lines naming the fire. {@link FireLedger} judges a chaos run at millisecond resolution against a model of the
 * disruptions; this one checks the plainer promises of a planned run (a kill, an outage, a race of edits), where
 * process jobs with no sink and real max_instances overlaps take part.
 */
public final class HistoryLedger {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private HistoryLedger() {
  }
  // the two counts: history rows and sink requests

  public record Row(String jobId, Instant fire, String status, String node, int attempt, Instant start, String cmd,
             String output) {
    public String fireKey() {
      return jobId + "@" + fire.getEpochSecond();
    }

    @Override
    public String toString() {
      return jobId + "@" + fire + " " + status + " by " + node + " attempt " + attempt + " started " + start
          + (output == null || output.isEmpty() ? "" : " (" + output.substring(0, Math.min(120, output.length())) + ")");
    }
  }

  public record Hit(String jobId, long fireMs, String path) {
    public String key() {
      return jobId + "@" + fireMs;
    }

    /** Whole seconds, as the history shows fire times. */
    public String fireKey() {
      return jobId + "@" + Math.floorDiv(fireMs, 1000);
    }
  }

  /** Every row, page by page: a reply carries at most api.max_page_size (1,000) rows. */
  public static List<Row> history(HttpTestClient via, String who, String jobName) {
    List<Row> rows = new ArrayList<>();
    for (int page = 1; ; page++) {
      HttpTestClient.Reply r = via.get("/ruqi/job_history_list?job_name=" + jobName + "&page_size=1000"
          + "&page_index=" + page);
      if (r.status() != 200) {
        throw new AssertionError(who + ": job_history_list answered " + r);
      }
      JsonArray list = r.json().getJsonObject("data").getJsonArray("list");
      for (int i = 0; i < list.size(); i++) {
        JsonObject o = list.getJsonObject(i);
        rows.add(new Row(o.getString("job_id"), time(o.getString("fire_time")), o.getString("status"),
            o.getString("scheduler_name"), o.getInteger("attempt"), time(o.getString("start_time")),
            o.getString("cmd"), o.getString("cmd_output")));
      }
      if (list.size() < 1000) {
        return rows;
      }
    }
  }

  /** The sink's requests, by their Idempotency-Key ({@code <job_id>@<fire epoch ms>}). */
  public static List<Hit> hits(HttpSink sink) {
    List<Hit> hits = new ArrayList<>();
    for (HttpSink.Request r : sink.requests) {
      String key = r.headers().getString("idempotency-key");
      int at = key == null ? -1 : key.lastIndexOf('@');
      if (at < 0) {
        throw new AssertionError("a sink request without an Idempotency-Key: " + r);
      }
      hits.add(new Hit(key.substring(0, at), Long.parseLong(key.substring(at + 1)), r.path()));
    }
    return hits;
  }

  static Instant time(String text) {
    return text == null ? null : LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC);
  }

  public static List<Row> rowsOf(List<Row> rows, String jobId) {
    return rows.stream().filter(r -> r.jobId.equals(jobId)).sorted((x, y) -> x.fire.compareTo(y.fire)).toList();
  }

  public static List<String> duplicateKeys(List<Hit> hits) {
    Map<String, Long> counts = hits.stream().collect(Collectors.groupingBy(Hit::key, Collectors.counting()));
    return counts.entrySet().stream().filter(e -> e.getValue() > 1).sorted(Map.Entry.comparingByKey())
        .map(e -> "the sink got " + e.getKey() + " " + e.getValue() + " times").toList();
  }

  public static List<String> duplicateRows(List<Row> rows) {
    Map<String, List<Row>> by = rows.stream().collect(Collectors.groupingBy(r -> r.fireKey() + "#" + r.attempt));
    return by.values().stream().filter(l -> l.size() > 1).map(l -> "rows for one fire: " + l).sorted().toList();
  }

  /**
   * Every success row has its sink request and every sink request its success row, fire by fire; a request whose
   * fire ended otherwise is allowed only for the given statuses (a run cut off after its request was sent).
   */
  public static List<String> successMatchesSink(List<Row> rows, List<Hit> hits, String... alsoSent) {
    Set<String> success = rows.stream().filter(r -> r.status.equals("success")).map(Row::fireKey).collect(Collectors.toSet());
    Set<String> other = rows.stream().filter(r -> Set.of(alsoSent).contains(r.status)).map(Row::fireKey)
        .collect(Collectors.toSet());
    Set<String> sent = hits.stream().map(Hit::fireKey).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    success.stream().filter(k -> !sent.contains(k)).sorted()
        .forEach(k -> problems.add("a success row without a sink request: " + k));
    sent.stream().filter(k -> !success.contains(k) && !other.contains(k)).sorted()
        .forEach(k -> problems.add("a sink request without a success row: " + k));
    return problems;
  }

  /**
   * The fires of a 1-second job: one row for every second from its first fire to its last, the first within 2 s
   * of the add and the last within 2 s of the pause ({@code pause[0]} sent, {@code pause[1]} answered), or as much
   * more as the last run started late.
   */
  public static List<String> contiguous(String jobId, List<Row> rows, Instant added, Instant[] pause) {
    List<Row> mine = rowsOf(rows, jobId).stream().filter(r -> r.attempt == 1).toList();
    List<String> problems = new ArrayList<>();
    if (mine.isEmpty()) {
      return List.of(jobId + ": no rows at all");
    }
    Instant first = mine.get(0).fire;
    Instant last = mine.get(mine.size() - 1).fire;
    if (first.isAfter(added.plusSeconds(2))) {
      problems.add(jobId + ": first fire " + first + " is late for an add at " + added);
    }
    // a job running behind (a slow job whose run was cut off by the kill waits for the lease, then works through
    // its backlog one run at a time) has its last fire as far before the pause as it was late
    Row lastRow = mine.get(mine.size() - 1);
    Duration behind = lastRow.start == null || lastRow.start.isBefore(last) ? Duration.ZERO
        : Duration.between(last, lastRow.start);
    if (last.isBefore(pause[0].minusSeconds(2).minus(behind)) || last.isAfter(pause[1].plusSeconds(1))) {
      problems.add(jobId + ": last fire " + last + " does not meet the pause at " + pause[0] + ".." + pause[1]);
    }
    List<String> gaps = new ArrayList<>();
    for (int i = 1; i < mine.size(); i++) {
      long step = Duration.between(mine.get(i - 1).fire, mine.get(i).fire).toSeconds();
      if (step != 1) {
        gaps.add(mine.get(i - 1).fire + " -> " + mine.get(i).fire);
      }
    }
    if (!gaps.isEmpty()) {
      problems.add(jobId + ": fire times not 1 s apart (" + gaps.size() + "): " + gaps.subList(0, Math.min(5, gaps.size())));
    }
    return problems;
  }


  /** One line per job whose rows have another status than {@code ok}: how many, which fires, the first in full. */
  public static List<String> notRun(List<Row> rows, String what, String... ok) {
    Map<String, List<Row>> bad = rows.stream().filter(r -> !Set.of(ok).contains(r.status))
        .sorted((x, y) -> x.fire.compareTo(y.fire))
        .collect(Collectors.groupingBy(Row::jobId, TreeMap::new, Collectors.toList()));
    List<String> out = new ArrayList<>();
    bad.forEach((job, list) -> out.add(what + ": " + job + " " + list.size() + " fires "
        + list.stream().collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting())) + " from "
        + list.get(0).fire + " to " + list.get(list.size() - 1).fire + "; first: " + list.get(0)
        + whySkipped(list.get(0), rows)));
    return out;
  }

  // skipped fires, judged on the table's millisecond times

  public static final String OVERLAP = "while another run of the job was running (max_instances)";
  public static final String GHOST = "while the job's previous run was on a node already dead (its lease not yet over)";
  public static final String ENDED = "after the job's previous run had ended (its claim not yet released)";

  public record DbRow(String jobId, String status, String node, long fireMs, Long startMs, long createdMs, int attempt) {
  }

  /** Every history row of {@code database}, straight from the table (c_time: when the row was made). */
  public static List<DbRow> dbHistory(MariaDbServer db, String database) {
    String out = db.sql("SET time_zone = '+00:00'; SELECT job_id, status, scheduler_name,"
        + " ROUND(UNIX_TIMESTAMP(fire_time) * 1000), ROUND(UNIX_TIMESTAMP(start_time) * 1000),"
        + " ROUND(UNIX_TIMESTAMP(c_time) * 1000), attempt FROM `" + database + "`.ruqi_jobs_history");
    List<DbRow> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 7) {
        rows.add(new DbRow(f[0], f[1], f[2], Long.parseLong(f[3]), f[4].equals("NULL") ? null : Long.parseLong(f[4]),
            Long.parseLong(f[5]), Integer.parseInt(f[6])));
      }
    }
    return rows;
  }

  /**
   * Skipped rows by cause: a run of the same job that started before the skip and ended after it (its row made
   * later) is a real overlap, unless that run was interrupted (its node had died); no such run means the run
   * before had ended and only its claim lingered.
   */
  public static Map<String, List<String>> classifySkips(List<DbRow> rows) {
    Map<String, List<DbRow>> byJob = rows.stream().collect(Collectors.groupingBy(DbRow::jobId));
    Map<String, List<String>> out = new TreeMap<>();
    for (DbRow skip : rows) {
      if (!skip.status.equals("skipped")) {
        continue;
      }
      List<DbRow> overlapping = byJob.get(skip.jobId).stream().filter(r -> r.startMs != null
          && r.startMs <= skip.createdMs && skip.createdMs < r.createdMs).toList();
      String why;
      String detail;
      if (overlapping.stream().anyMatch(r -> r.status.equals("interrupted"))) {
        why = GHOST;
        detail = "";
      } else if (!overlapping.isEmpty()) {
        why = OVERLAP;
        detail = "";
      } else {
        why = ENDED;
        DbRow before = byJob.get(skip.jobId).stream().filter(r -> r.startMs != null && r.createdMs <= skip.createdMs)
            .max((x, y) -> Long.compare(x.createdMs, y.createdMs)).orElse(null);
        detail = before == null ? "" : " (fire " + Instant.ofEpochMilli(before.fireMs) + " " + before.status + " on "
            + before.node + " ended " + (skip.createdMs - before.createdMs) + " ms before)";
      }
      out.computeIfAbsent(why, k -> new ArrayList<>()).add(skip.jobId + "@" + Instant.ofEpochMilli(skip.fireMs)
          + " skipped by " + skip.node + " at " + Instant.ofEpochMilli(skip.createdMs) + detail);
    }
    return out;
  }

  /** What the row before a skipped one says: the run that max_instances counted. */
  static String whySkipped(Row r, List<Row> rows) {
    if (!r.status.equals("skipped")) {
      return "";
    }
    Row before = null;
    for (Row o : rowsOf(rows, r.jobId)) {
      if (o.fire.isBefore(r.fire) && !o.status.equals("skipped")) {
        before = o;
      }
    }
    return before == null ? "" : "; the run it waited for: " + before.fire + " " + before.status + " by " + before.node;
  }

  public static String summary(List<Row> rows, List<Hit> hits) {
    Map<String, Long> byStatus = rows.stream().collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting()));
    Map<String, Long> byNode = rows.stream().collect(Collectors.groupingBy(r -> r.node + "/" + r.status, TreeMap::new,
        Collectors.counting()));
    return "history rows " + rows.size() + " " + byStatus + ", per node " + byNode + "; sink requests " + hits.size()
        + " (" + hits.stream().map(Hit::key).distinct().count() + " distinct keys)";
  }
}
