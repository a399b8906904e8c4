package io.ruqi.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.util.Locale;
import java.util.function.Predicate;

/** How SQLite says what went wrong: by its extended result codes, which its driver keeps on the exception. */
final class SqliteErrors {

  private SqliteErrors() {
  }

  /** A primary or unique key was taken (not NOT NULL, CHECK or a foreign key: those are the store's errors). */
  static boolean isDuplicateKey(Throwable failure) {
    return first(failure, code -> code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
  }

  /**
   * Another connection held the database's write lock longer than the busy timeout: an outside process (a backup
   * tool, the sqlite3 shell), since ruqi writes through one connection. Nothing of the transaction was written.
   */
  static boolean isBusy(Throwable failure) {
    return first(failure, code -> code.name().startsWith("SQLITE_BUSY") || code.name().startsWith("SQLITE_LOCKED"));
  }

  /**
   * The database cannot be written for now, for a reason outside it: the disk is full, an I/O error, the file made
   * read-only or gone, out of memory. Not the row's fault: what was being written stays queued (a history row
   * refused for this would be lost), and the API answers 503. Not a damaged file (CORRUPT, NOTADB): that stays so,
   * and the rows are written one by one, so that only those it refuses are lost.
   */
  static boolean isUnavailable(Throwable failure) {
    return first(failure, code -> {
      String name = code.name();
      return name.startsWith("SQLITE_FULL") || name.startsWith("SQLITE_IOERR") || name.startsWith("SQLITE_READONLY")
          || name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_NOMEM") || name.startsWith("SQLITE_PROTOCOL");
    });
  }

  /**
   * At the store's start, a file that cannot be the store as it is: no database (another kind of file), damaged,
   * read-only, or not openable (a directory): a start waiting for it would wait for ever, so it stops with the cause.
   */
  static boolean isUnusableFile(Throwable failure) {
    return first(failure, code -> {
      String name = code.name();
      return name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_CORRUPT")
          || name.startsWith("SQLITE_READONLY") || name.startsWith("SQLITE_CANTOPEN");
    });
  }

  /** An index schema.sql creates apart from its table was there already. */
  static boolean isIndexExists(Throwable failure) {
    return message(failure, "already exists");
  }

  /** A column schema.sql adds apart from its table was there already. */
  static boolean isColumnExists(Throwable failure) {
    return message(failure, "duplicate column name");
  }

  private static boolean first(Throwable failure, Predicate<SQLiteErrorCode> test) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException e) {
        return test.test(e.getResultCode());
      }
    }
    return false;
  }

  private static boolean message(Throwable failure, String words) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException e) {
        return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains(words);
      }
    }
    return false;
  }
}
