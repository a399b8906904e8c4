package io.ruqi.store;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/** Tells a database that cannot be reached from a request the database refused. */
public final class StoreErrors {
  /** A Galera member that is not ready for work (not Synced, or cut off from the primary component). */
  private static final int WSREP_NOT_READY = 1047;

  private StoreErrors() {
  }

  /**
   * Worth trying again as it was: the database is unreachable, or the statement lost a lock to another transaction
   * (a deadlock, or a lock wait timeout) rather than being refused for what it holds.
   */
  public static boolean isTransient(Throwable failure) {
    return isUnavailable(failure) || isLostRace(failure);
  }

  /**
   * The transaction lost to another and was rolled back whole, so nothing of it was written: a deadlock, a lock wait
   * timeout, or on Galera a certification failure at COMMIT (another member committed a conflicting write first),
   * which MariaDB reports as a deadlock; on SQLite, another process held the database's write lock past the busy
   * timeout. Never an acknowledged write: the caller tries again on fresh data.
   */
  public static boolean isLostRace(Throwable failure) {
    return isDeadlock(failure) || SqliteErrors.isBusy(failure)
        || sqlFailure(failure, (state, code) -> "HYT00".equals(state) || code == 1205);
  }

  /**
   * A deadlock, or a Galera certification failure (MariaDB reports it as one): another writer won at once. Unlike a
   * lock wait timeout, it says nothing of how the database is doing: it answered.
   */
  public static boolean isDeadlock(Throwable failure) {
    return sqlFailure(failure, (state, code) -> "40001".equals(state) || code == 1213);
  }

  private static boolean sqlFailure(Throwable failure, BiPredicate<String, Integer> test) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String state = t instanceof SQLException e ? e.getSQLState()
          : t instanceof DatabaseException e ? e.getSqlState() : null;
      int code = t instanceof SQLException e ? e.getErrorCode()
          : t instanceof DatabaseException e ? e.getErrorCode() : 0;
      if (test.test(state, code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The database answered the statement with an error of its own (a duplicate key, a lock wait timeout, a packet too
   * large), as opposed to not being reached: {@link #isUnavailable} also reads messages, and a server's message may
   * quote a value that says "connection" or "timeout" (a job id in a duplicate-key error).
   */
  public static boolean answered(Throwable failure) {
    return !SqliteErrors.isUnavailable(failure) && sqlFailure(failure,
        (state, code) -> code != 0 && code != WSREP_NOT_READY && (state == null || !state.startsWith("08")));
  }

  /**
   * The database answered but cannot write for now (SQLite on a full disk, a read-only file): no outage whose end
   * another statement would show, since reads still succeed.
   */
  public static boolean isUnwritable(Throwable failure) {
    return SqliteErrors.isUnavailable(failure);
  }

  /** Another process held SQLite's write lock past the busy timeout (already waited for: no quick retry). */
  public static boolean isHeldElsewhere(Throwable failure) {
    return SqliteErrors.isBusy(failure);
  }

  public static boolean isUnavailable(Throwable failure) {
    if (SqliteErrors.isUnavailable(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof TimeoutException) {
        return true;
      }
      if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof DatabaseException e && e.getErrorCode() == WSREP_NOT_READY) {
        return true;
      }
      String name = t.getClass().getSimpleName();
      String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (name.contains("ClosedConnection") || name.contains("NoStackTraceTimeout")
          || (t instanceof VertxException && (msg.contains("connection") || msg.contains("timeout")
          || msg.contains("closed")))) {
        return true;
      }
    }
    return false;
  }
}
