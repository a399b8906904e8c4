package io.ruqi.migrate;

import io.ruqi.progress.Progress;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.ImportedHistory;
import io.ruqi.store.RunStatus;
import io.vertx.core.Future;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings RuQi's history rows over, a page at a time, keeping their ids (where ruqi's own rows have not taken them)
 * and their c_time. RuQi recorded a run when it ended and not when it was due, so a row's fire and start time are
 * its c_time less its cost. Rows already brought (same id, job and c_time; or the same fire) are skipped, so a
 * second run writes nothing; one cut off half-way is finished by the next.
 */
final class HistoryMigration {
  static final int PAGE = 500;
  /** Fires of one job recorded in the same millisecond get the next free one; keys are kept for this many rows. */
  private static final int RECENT_FIRES = 100_000;

  private final SourceDatabase source;
  private final ImportedHistory target;
  private final ZoneId hostZone;
  private final boolean dryRun;
  private final Progress progress;
  private final Map<String, Boolean> recentFires = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RECENT_FIRES;
    }
  };
  private long read;
  private long added;
  private long unchanged;
  private long renumbered;

  HistoryMigration(SourceDatabase source, ImportedHistory target, ZoneId hostZone, boolean dryRun, Progress progress) {
    this.source = source;
    this.target = target;
    this.hostZone = hostZone;
    this.dryRun = dryRun;
    this.progress = progress;
  }

  Future<MigrationReport.History> run() {
    return source.count(SourceDatabase.RUQI_HISTORY).compose(total -> {
      progress.total(total);
      return page(0);
    }).map(v -> new MigrationReport.History(read, added, unchanged, renumbered)).onComplete(ar -> progress.finish());
  }

  private Future<Void> page(long afterId) {
    return source.history(afterId, PAGE).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      read += rows.size();
      List<HistoryRecord> records = new ArrayList<>();
      for (SourceHistoryRow row : rows) {
        records.add(record(row));
      }
      long last = rows.get(rows.size() - 1).id();
      return write(rows, records).compose(v -> {
        progress.advance(rows.size());
        return rows.size() < PAGE ? Future.succeededFuture() : page(last);
      });
    });
  }

  HistoryRecord record(SourceHistoryRow row) {
    Instant created = row.created() == null ? Instant.EPOCH
        : ZonedDateTime.ofLocal(row.created(), hostZone, null).toInstant();
    Instant fire = created.minusMillis(Math.max(0, Math.round(row.cost() * 1000)));
    while (recentFires.containsKey(row.jobId() + '\n' + fire.toEpochMilli())) {
      fire = fire.plusMillis(1);
    }
    recentFires.put(row.jobId() + '\n' + fire.toEpochMilli(), Boolean.TRUE);
    return new HistoryRecord(row.jobId(), row.jobName(), row.cmd(), row.success() ? RunStatus.SUCCESS
        : RunStatus.FAILED, row.output(), row.cost(), row.schedulerName(), created, fire, fire, 1, null, false);
  }

  private Future<Void> write(List<SourceHistoryRow> rows, List<HistoryRecord> records) {
    List<Long> ids = rows.stream().map(SourceHistoryRow::id).toList();
    return target.owners(ids).compose(owners -> {
      List<HistoryRecord> keep = new ArrayList<>();
      List<Long> keepIds = new ArrayList<>();
      List<HistoryRecord> moved = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        ImportedHistory.RowOwner owner = owners.get(ids.get(i));
        HistoryRecord r = records.get(i);
        if (owner == null) {
          keep.add(r);
          keepIds.add(ids.get(i));
        } else if (owner.jobId().equals(r.jobId()) && owner.created().equals(r.created())) {
          unchanged++;
        } else {
          moved.add(r);
        }
      }
      return insertKept(keep, keepIds).compose(v -> insertMoved(moved));
    });
  }

  private Future<Void> insertKept(List<HistoryRecord> rows, List<Long> ids) {
    if (dryRun) {
      added += rows.size();
      return Future.succeededFuture();
    }
    return target.insert(rows, ids).map(n -> {
      added += n;
      unchanged += rows.size() - n;
      return null;
    });
  }

  /** Rows whose id a ruqi row holds: brought under a new id, unless brought so before (their fire is there). */
  private Future<Void> insertMoved(List<HistoryRecord> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Boolean>> present = rows.stream().map(r -> target.hasFire(r.jobId(), r.fireTime())).toList();
    return Future.all(present).compose(all -> {
      List<HistoryRecord> fresh = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (Boolean.TRUE.equals(present.get(i).result())) {
          unchanged++;
        } else {
          fresh.add(rows.get(i));
        }
      }
      if (dryRun) {
        added += fresh.size();
        renumbered += fresh.size();
        return Future.succeededFuture();
      }
      List<Long> noIds = new ArrayList<>();
      fresh.forEach(r -> noIds.add(null));
      return target.insert(fresh, noIds).map(n -> {
        added += n;
        renumbered += n;
        unchanged += fresh.size() - n;
        return null;
      });
    });
  }
}
