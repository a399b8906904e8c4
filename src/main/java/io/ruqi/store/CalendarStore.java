package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The calendars table. Every change is one transaction, durable before it answers. A calendar still named by a job
 * is not removed: the removal reads the jobs that name it in the same transaction as the delete.
 */
public final class CalendarStore {
  private static final String COLUMNS = "SELECT name, days, version, c_time, u_time FROM ruqi_calendar";

  private final Pool pool;
  private final Dialect dialect;
  private final DurableCommits durable;

  CalendarStore(Pool pool, Dialect dialect, DurableCommits durable) {
    this.pool = pool;
    this.dialect = dialect;
    this.durable = durable;
  }

  /** Every calendar, by name (the number of calendars is bounded by the API). */
  public Future<List<CalendarRecord>> list() {
    return pool.query(COLUMNS + " ORDER BY name").execute().map(rows -> {
      List<CalendarRecord> out = new ArrayList<>();
      rows.forEach(r -> out.add(toRecord(r)));
      return out;
    });
  }

  /** Every calendar's name, version and creation, without its days: what a node checks its copies against. */
  public Future<List<CalendarRecord>> versions() {
    return pool.query("SELECT name, '', version, c_time, u_time FROM ruqi_calendar").execute().map(rows -> {
      List<CalendarRecord> out = new ArrayList<>();
      rows.forEach(r -> out.add(toRecord(r)));
      return out;
    });
  }

  /** The calendar, or null. */
  public Future<CalendarRecord> find(String name) {
    return pool.preparedQuery(COLUMNS + " WHERE name = ?").execute(Tuple.of(name))
        .map(rows -> rows.iterator().hasNext() ? toRecord(rows.iterator().next()) : null);
  }

  /** How many calendars there are. */
  public Future<Integer> count() {
    return pool.query("SELECT COUNT(*) FROM ruqi_calendar").execute()
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /**
   * Creates the calendar or replaces its days, and writes {@code audit}'s row of the change in the same transaction
   * (a change whose row cannot be written leaves nothing); answers what was there before (null: created) and what is
   * there now. Two creations of one name at once: one of them fails as a duplicate key, and writes nothing.
   */
  public Future<Change> put(String name, String days, Instant now, Function<Change, AuditRecord> audit) {
    return Transactions.run(pool, dialect, conn -> findForUpdate(conn, name).compose(before -> {
      CalendarRecord after = before == null
          ? new CalendarRecord(name, days, 1, now, now)
          : new CalendarRecord(name, days, before.version() + 1, before.created(), now);
      Change change = new Change(before, after);
      Future<?> written = before == null
          ? conn.preparedQuery("INSERT INTO ruqi_calendar (name, days, version, c_time, u_time) VALUES (?, ?, ?, ?, ?)")
          .execute(Tuple.of(name, days, after.version(), SqlJobStore.utc(now), SqlJobStore.utc(now)))
          : conn.preparedQuery("UPDATE ruqi_calendar SET days = ?, version = ?, u_time = ? WHERE name = ?")
          .execute(Tuple.of(days, after.version(), SqlJobStore.utc(now), name));
      return written.compose(v -> AuditStore.add(conn, audit.apply(change))).map(change);
    })).compose(change -> durable.afterCommit().map(change));
  }

  /** Whether {@code failure} is a second creation of a name that another request just created. */
  public boolean isDuplicate(Throwable failure) {
    return dialect.isDuplicateKey(failure);
  }

  /**
   * Removes the calendar unless a job names it, with {@code audit}'s row of the removal in the same transaction:
   * answers the calendar removed (null: there was none) or, when jobs name it, up to {@code limit} of their ids and
   * nothing removed.
   */
  public Future<Removal> delete(String name, int limit, Function<CalendarRecord, AuditRecord> audit) {
    return Transactions.run(pool, dialect, conn -> findForUpdate(conn, name).compose(before -> {
      if (before == null) {
        return Future.succeededFuture(new Removal(null, List.of()));
      }
      return jobsNaming(conn, dialect, name, limit).compose(jobs -> !jobs.isEmpty()
          ? Future.succeededFuture(new Removal(null, jobs))
          : conn.preparedQuery("DELETE FROM ruqi_calendar WHERE name = ?").execute(Tuple.of(name))
          .compose(v -> AuditStore.add(conn, audit.apply(before)))
          .map(v -> new Removal(before, List.of())));
    })).compose(r -> r.removed() == null ? Future.succeededFuture(r) : durable.afterCommit().map(r));
  }

  /**
   * Up to {@code limit} of the jobs whose options name the calendar. The options are JSON text: the LIKE finds
   * {@code "calendar":"<name>"} (a scan of the jobs, acceptable for a removal; '_', the one wildcard a name may hold,
   * escaped), and the JSON itself decides. SQLite's LIKE ignores case where its keys do not ("Holidays" and
   * "holidays" are two calendars there): ten jobs of the one could fill the limit and hide a job of the other, so it
   * looks for the exact text instead.
   */
  private static Future<List<String>> jobsNaming(SqlConnection conn, Dialect dialect, String name, int limit) {
    String text = "\"calendar\":\"" + name + "\"";
    boolean sqlite = dialect == Dialect.SQLITE;
    String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return conn.preparedQuery("SELECT id, job_state FROM ruqi_jobs WHERE "
            + (sqlite ? "instr(job_state, ?) > 0" : "job_state LIKE ?") + " ORDER BY id LIMIT ?")
        .execute(Tuple.of(sqlite ? text : pattern, limit)).map(rows -> {
          List<String> ids = new ArrayList<>();
          for (Row r : rows) {
            String state = r.getString(1);
            if (state != null && name.equals(new JsonObject(state).getString("calendar"))) {
              ids.add(r.getString(0));
            }
          }
          return ids;
        });
  }

  private Future<CalendarRecord> findForUpdate(SqlConnection conn, String name) {
    return conn.preparedQuery(COLUMNS + " WHERE name = ?" + dialect.forUpdate()).execute(Tuple.of(name))
        .map(rows -> rows.iterator().hasNext() ? toRecord(rows.iterator().next()) : null);
  }

  private static CalendarRecord toRecord(Row r) {
    return new CalendarRecord(r.getString(0), r.getString(1), r.getLong(2),
        SqlJobStore.utcInstant(r.getLocalDateTime(3)), SqlJobStore.utcInstant(r.getLocalDateTime(4)));
  }

  /** A calendar before (null: it was created) and after a change. */
  public record Change(CalendarRecord before, CalendarRecord after) {
  }

  /** What a removal did: the calendar removed, or the jobs that kept it. */
  public record Removal(CalendarRecord removed, List<String> namedBy) {
  }
}
