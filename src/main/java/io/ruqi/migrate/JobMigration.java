package io.ruqi.migrate;

import io.ruqi.progress.Progress;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.schedule.Trigger;
import io.ruqi.schedule.TriggerSpec;
import io.ruqi.schedule.Triggers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the source's jobs a page at a time, unpickles and maps them (on a worker: parsing is no work for the event
 * loop) and imports each through ruqi's {@code job_import}, one job per call, so that one job ruqi refuses is
 * reported without holding the others back.
 */
final class JobMigration {
  static final int PAGE = 200;
  /** A pickled job state is a few KiB; a larger one is not read (a pickle names its own allocations). */
  static final int LARGEST_STATE = 1 << 20;

  private final Vertx vertx;
  private final SourceDatabase source;
  private final TargetApi target;
  private final JobStateReader reader;
  private final ZoneId hostZone;
  private final Clock clock;
  private final boolean dryRun;
  private final Progress progress;
  private final List<MigrationReport.JobLine> lines = new ArrayList<>();

  JobMigration(Vertx vertx, SourceDatabase source, TargetApi target, ZoneId hostZone, Clock clock, boolean dryRun,
               Progress progress) {
    this.vertx = vertx;
    this.source = source;
    this.target = target;
    this.reader = new JobStateReader(hostZone);
    this.hostZone = hostZone;
    this.clock = clock;
    this.dryRun = dryRun;
    this.progress = progress;
  }

  Future<List<MigrationReport.JobLine>> run(SourceTables tables) {
    return source.count(tables.jobs()).compose(total -> {
      progress.total(total);
      return page(tables, null);
    }).map(v -> lines).onComplete(ar -> progress.finish());
  }

  private Future<Void> page(SourceTables tables, String afterId) {
    return source.jobs(tables, afterId, PAGE).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      String last = rows.get(rows.size() - 1).id();
      return vertx.executeBlocking(() -> rows.stream().map(this::decode).toList(), false)
          .compose(this::importAll)
          .compose(v -> rows.size() < PAGE ? Future.succeededFuture() : page(tables, last));
    });
  }

  /** The row as ruqi will take it, or why it cannot. */
  private Decoded decode(JobRow row) {
    try {
      if (row.state() == null || row.state().length > LARGEST_STATE) {
        throw new NotMigratable(row.state() == null ? "its job_state is empty"
            : "its job_state is " + row.state().length + " bytes, more than a job holds");
      }
      ApsJob job = reader.read(PickledState.read(row.state()));
      MappedJob mapped = JobMapper.map(row.id(), row.jobName(), job);
      return new Decoded(row.id(), job, mapped, null);
    } catch (NotMigratable | UnreadableState e) {
      return new Decoded(row.id(), null, null, e.getMessage());
    }
  }

  private Future<Void> importAll(List<Decoded> page) {
    Future<Void> chain = Future.succeededFuture();
    for (Decoded d : page) {
      chain = chain.compose(v -> importOne(d).onSuccess(done -> progress.advance(1)));
    }
    return chain;
  }

  private Future<Void> importOne(Decoded d) {
    if (d.mapped() == null) {
      lines.add(new MigrationReport.JobLine(d.rowId(), MigrationReport.NOT_MIGRATED, null, d.problem(), List.of()));
      return Future.succeededFuture();
    }
    return target.importJob(d.mapped().params(), dryRun).map(outcome -> {
      if (outcome.message() != null) {
        lines.add(new MigrationReport.JobLine(d.rowId(), MigrationReport.NOT_MIGRATED, null, outcome.message(),
            d.mapped().notes()));
      } else {
        List<String> notes = new ArrayList<>(d.mapped().notes());
        nextRunNote(d.job(), d.mapped().params()).ifPresent(notes::add);
        lines.add(new MigrationReport.JobLine(d.rowId(), outcome.action(), summary(d.mapped().params()), null,
            notes));
      }
      return null;
    });
  }

  /** Said when ruqi's first fire is not the next run RuQi had stored (RuQi behind, or its modify kept an old time). */
  private Optional<String> nextRunNote(ApsJob job, JsonObject params) {
    if (job.nextRunTime() == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<Instant> first = firstFire(params, now);
    // APScheduler stores a jittered next run; ruqi jitters when it fires
    Duration jitter = Duration.ofMillis(Math.round(params.getDouble("jitter", 0.0) * 1000));
    if (first.isPresent() && !job.nextRunTime().isBefore(first.get())
        && Duration.between(first.get(), job.nextRunTime()).toMillis() <= Math.max(1, jitter.toMillis())) {
      return Optional.empty();
    }
    if (first.isPresent() && Duration.between(job.nextRunTime(), first.get()).toMillis() == 1) {
      return Optional.empty(); // the microseconds ruqi does not keep
    }
    ZoneId zone = ZoneId.of(params.getString("timezone"));
    String had = JobMapper.wall(job.nextRunTime().atZone(zone).toLocalDateTime());
    String will = first.map(t -> JobMapper.wall(t.atZone(zone).toLocalDateTime())).orElse("never");
    return Optional.of("its stored next run was " + had + (job.nextRunTime().isBefore(now)
        ? ", which has passed (RuQi is behind or stopped); ruqi does not run it late: its first fire is "
        : "; ruqi's first fire, from its rule, is ") + will);
  }

  private Optional<Instant> firstFire(JsonObject params, Instant now) {
    try {
      ZoneId zone = TimeFormats.zone(params.getString("timezone"), "timezone");
      Instant start = date(params.getString("start_date"), zone);
      Instant end = date(params.getString("end_date"), zone);
      Trigger trigger = Triggers.parse(new TriggerSpec(params.getString("job_trigger"), params.getString("rule"),
          zone, start, end), now);
      return "date".equals(trigger.type()) ? trigger.next(Instant.EPOCH) : trigger.next(now);
    } catch (RuleException e) {
      return Optional.empty();
    }
  }

  private static Instant date(String text, ZoneId zone) {
    return text == null ? null : TimeFormats.parseDateTime(text, zone, "date");
  }

  private String summary(JsonObject p) {
    StringBuilder s = new StringBuilder(p.getString("job_trigger")).append(" '").append(p.getString("rule"))
        .append("' ").append(p.getString("timezone"));
    if (p.getString("start_date") != null) {
      s.append(" from ").append(p.getString("start_date"));
    }
    if (p.getString("end_date") != null) {
      s.append(" until ").append(p.getString("end_date"));
    }
    return s.append(Boolean.TRUE.equals(p.getBoolean("paused")) ? ", paused" : "").toString();
  }

  /** A decoded row: the job and its ruqi form, or the problem that stops it. */
  private record Decoded(String rowId, ApsJob job, MappedJob mapped, String problem) {
  }
}
