package io.ruqi.migrate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/** What a migration did (or, dry, would do): a line per job and the history's counts. */
record MigrationReport(String source, String table, String target, boolean dryRun, List<JobLine> jobs,
                       History history) {
  static final String NOT_MIGRATED = "not migrated";

  /**
   * @param action  {@code add}, {@code modify}, {@code unchanged} or {@code not migrated}
   * @param summary the job as ruqi has it (trigger, rule, zone); null when not migrated
   * @param reason  why it was not migrated
   */
  record JobLine(String id, String action, String summary, String reason, List<String> notes) {
  }

  /** RuQi's history rows: read, written (or to write), already there, and written under a new id. */
  record History(long read, long added, long unchanged, long renumbered) {
  }

  long count(String action) {
    return jobs.stream().filter(j -> j.action().equals(action)).count();
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append("ruqi migrate").append(dryRun ? " --dry-run (nothing is written)" : "").append('\n')
        .append("  from ").append(source).append(", table ").append(table).append('\n')
        .append("  into ").append(target).append('\n');
    String verb = dryRun ? "would " : "";
    out.append(String.format(Locale.ROOT, "jobs: %d read; %s%d added, %d modified, %d unchanged; %d not migrated%n",
        jobs.size(), verb, count("add"), count("modify"), count("unchanged"), count(NOT_MIGRATED)));
    for (JobLine j : jobs) {
      out.append(String.format(Locale.ROOT, "  %-13s %s", j.action(), j.id()));
      out.append(j.summary() != null ? "  " + j.summary() : "").append(j.reason() != null ? ": " + j.reason() : "")
          .append('\n');
      j.notes().forEach(n -> out.append("                  note: ").append(n).append('\n'));
    }
    if (history != null) {
      out.append(String.format(Locale.ROOT, "history: %d rows read; %s%d added (%d under new ids: ruqi's own rows"
          + " hold theirs), %d already there%n", history.read(), verb, history.added(), history.renumbered(),
          history.unchanged()));
    }
    return out.toString();
  }

  JsonObject toJson() {
    JsonArray lines = new JsonArray();
    for (JobLine j : jobs) {
      lines.add(new JsonObject().put("job_id", j.id()).put("action", j.action()).put("summary", j.summary())
          .put("reason", j.reason()).put("notes", new JsonArray(List.copyOf(j.notes()))));
    }
    JsonObject out = new JsonObject().put("source", source).put("table", table).put("target", target)
        .put("dry_run", dryRun).put("jobs", lines);
    if (history != null) {
      out.put("history", new JsonObject().put("read", history.read()).put("added", history.added())
          .put("unchanged", history.unchanged()).put("renumbered", history.renumbered()));
    }
    return out;
  }
}
