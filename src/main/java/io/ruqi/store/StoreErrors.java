package io.ruqi.store;

import io.vertx.core.VertxException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Tells a database that cannot be reached from a request the database refused. */
public final class StoreErrors {

  private StoreErrors() {
  }

  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof TimeoutException) {
        return true;
      }
      if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
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
