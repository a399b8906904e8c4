package io.ruqi.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the results; prints them as one table (rows: scenarios, columns: configurations) and as JSON. */
final class Report {
  /** The targets, by row prefix, shown next to the figures. */
  private static final Map<String, String> TARGETS = new LinkedHashMap<>();

  static {
    // #12's
    TARGETS.put("drain 5,000", "≥ 6,000 (MariaDB, one node)");
    TARGETS.put("drain 50,000", "≥ 5,000 embedded, ≥ 8,000 one node, pair ≥ 95 % of one node");
    TARGETS.put("lateness 200/s", "p99 ≤ 5");
    TARGETS.put("lateness 2,000/s", "p99 ≤ 50 embedded, ≤ 20 MariaDB");
    TARGETS.put("add", "≥ 3,000 / ≥ 5,000 / ≥ 4,000 (pair) jobs/s");
    TARGETS.put("scale 1M: heap", "≤ 256 MB");
    TARGETS.put("scale 1M: first", "≤ 5 s");
    TARGETS.put("processes", "≥ 650");
  }

  private final List<Result> results = new ArrayList<>();
  private final Set<String> configs = new LinkedHashSet<>();
  private final JsonObject meta;

  Report(JsonObject meta) {
    this.meta = meta;
  }

  void config(String label) {
    configs.add(label);
  }

  synchronized void add(Result r) {
    results.add(r);
    configs.add(r.config());
    Benchmark.log("  => %s | %s: %s%s", r.config(), r.row(), r.cell(),
        r.met() == null ? "" : r.met() ? "  (target met)" : "  (target MISSED)");
  }

  /**
   * The pair's drain of 50,000 judged against one node's of the same run (#12: ≥ 95 %), once both are in; every
   * other row as measured.
   */
  private Result judged(Result r) {
    if (!r.config().equals("MariaDB/pair") || !r.row().startsWith("drain 50,000") || r.met() != null
        || !r.data().containsKey("fires_per_s")) {
      return r;
    }
    return results.stream()
        .filter(one -> one.config().equals("MariaDB/1 node") && one.row().equals(r.row())
            && one.data().containsKey("fires_per_s"))
        .findFirst()
        .map(one -> {
          double share = r.data().getDouble("fires_per_s") / one.data().getDouble("fires_per_s");
          return new Result(r.config(), r.row(), r.cell() + String.format(" (%.1f %% of one node)", share * 100),
              share >= 0.95, r.data().copy().put("share_of_one_node", Math.round(share * 1000) / 1000.0));
        })
        .orElse(r);
  }

  String table() {
    Set<String> rows = new LinkedHashSet<>();
    results.forEach(r -> rows.add(r.row()));
    List<String> header = new ArrayList<>(List.of("scenario"));
    header.addAll(configs);
    header.add("target");
    List<List<String>> lines = new ArrayList<>();
    for (String row : rows) {
      List<String> line = new ArrayList<>(List.of(row));
      for (String c : configs) {
        Result r = results.stream().filter(x -> x.row().equals(row) && x.config().equals(c)).findFirst()
            .map(this::judged).orElse(null);
        line.add(r == null ? "–" : r.cell() + (r.met() == null ? "" : r.met() ? " ✓" : " ✗"));
      }
      line.add(TARGETS.entrySet().stream().filter(e -> row.startsWith(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElse(""));
      lines.add(line);
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = header.get(i).length();
      for (List<String> l : lines) {
        width[i] = Math.max(width[i], l.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, header, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    appendLine(out, rule, width);
    lines.forEach(l -> appendLine(out, l, width));
    return out.toString();
  }

  private static void appendLine(StringBuilder out, List<String> cells, int[] width) {
    out.append("| ");
    for (int i = 0; i < cells.size(); i++) {
      out.append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" | ");
    }
    out.setLength(out.length() - 1);
    out.append('\n');
  }

  JsonObject json() {
    JsonArray rows = new JsonArray();
    for (Result measured : results) {
      Result r = judged(measured);
      rows.add(new JsonObject().put("config", r.config()).put("scenario", r.row()).put("value", r.cell())
          .put("target_met", r.met()).put("data", r.data()));
    }
    return meta.copy().put("results", rows);
  }

  void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, json().encodePrettily() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
