package io.ruqi.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Moves an embedded store made by a release whose default was H2 ({@code data/ruqi.mv.db}) into the SQLite file that
 * replaces it ({@code data/ruqi.db}), at the first start on SQLite, so that an upgrade finds its jobs, history, audit
 * and calendars without anyone's help. The copy is made into a file of its own and renamed into place only once it
 * is complete and on the disk: a kill at any point leaves either no SQLite file (the next start copies again from
 * the H2 file, which is only read) or the complete one. The H2 file is renamed, never deleted: it is the user's
 * backup.
 */
final class H2ToSqlite {
  private static final Logger LOG = LoggerFactory.getLogger(H2ToSqlite.class);
  /** Rows per batch and per H2 fetch: a history of millions of rows goes through in constant memory. */
  private static final int BATCH = 1_000;

  private H2ToSqlite() {
  }

  /**
   * Blocking: run at the store's start, before SQLite creates {@code sqliteFile}. Synchronized, and under a file
   * lock: two nodes started together on one directory (a pair on one host) must not copy at once, each deleting or
   * moving the other's half-made file; the one that waited finds the copy made and goes on.
   */
  static synchronized void migrateIfFound(Path sqliteFile) {
    Path file = sqliteFile.toAbsolutePath().normalize();
    String name = file.getFileName().toString();
    Path dir = file.getParent();
    // data/ruqi.db takes over h2:data/ruqi; so does data/ruqi, the same URL with sqlite: for h2:
    Path h2Base = dir.resolve(name.endsWith(".db") ? name.substring(0, name.length() - ".db".length()) : name);
    Path legacy = Path.of(h2Base + ".mv.db");
    if (!needed(file, legacy)) {
      return;
    }
    Path lockFile = Path.of(file + ".migrating.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = channel.lock()) {
      if (needed(file, legacy) && migrate(file, h2Base, legacy)) {
        // only once the H2 file is renamed: a node still waiting holds the old lock file, and finds nothing to do
        deleteQuietly(lockFile);
      }
    } catch (IOException e) {
      throw failure(legacy, file, h2Base, e);
    }
  }

  /** Whether the H2 file is there and the SQLite one is not yet; both there is the user's to sort out. */
  private static boolean needed(Path file, Path legacy) {
    if (!Files.isRegularFile(legacy)) {
      return false;
    }
    if (holdsData(file)) {
      LOG.warn("store: the H2 store {} is left beside {}, which is the store now and was not copied over; remove {}"
          + " once you have checked your jobs", legacy, file, legacy);
      return false;
    }
    return true;
  }

  /** Copies, moves the copy into place, renames the H2 file; whether all three were done. */
  private static boolean migrate(Path file, Path h2Base, Path legacy) {
    Path dir = file.getParent();
    Path temp = Path.of(file + ".migrating");
    Map<String, Long> counts;
    try {
      // a leftover is a copy cut short: the H2 file still holds everything
      deleteWithJournal(temp);
      counts = copy(h2Base, temp);
      if (counts == null) {
        deleteWithJournal(temp);
        LOG.warn("store: {} is beside {} but holds no ruqi_jobs table: not an H2 store of ruqi's, left as it is",
            legacy, file);
        return false;
      }
      force(temp);
      // an empty store file is all a start before could have made (SQLite writes a header at once); what SQLite
      // left beside it would be read as part of the copy once it has that name
      Files.deleteIfExists(Path.of(file + "-wal"));
      Files.deleteIfExists(Path.of(file + "-shm"));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      // on the disk before the H2 file's rename: never a state with neither file under its name
      forceDirectory(dir);
    } catch (Exception e) {
      try {
        deleteWithJournal(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw failure(legacy, file, h2Base, e);
    }
    Path backup = backupName(legacy);
    try {
      Files.move(legacy, backup, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(dir);
    } catch (IOException e) {
      // the copy is in place and complete: the start goes on, and the next one warns of the file left beside it
      LOG.warn("store: {} is copied into {} but could not be renamed to {}: {}", legacy, file, backup, e.toString());
      return false;
    }
    LOG.info("store: copied the H2 store {} into {} (rows: {}); the H2 file is kept as {}, to remove once you have"
        + " checked your jobs", legacy, file, counts, backup);
    return true;
  }

  private static IllegalStateException failure(Path legacy, Path file, Path h2Base, Exception cause) {
    return new IllegalStateException("could not copy the H2 store " + legacy + " into " + file + ": "
        + cause.getMessage() + "; " + legacy + " is unchanged. To run on it meanwhile, set store.url to h2:" + h2Base
        + " (or start the previous release) and report this error", cause);
  }

  /** A store file with a database in it (SQLite writes its header at once), or a journal that still holds one. */
  private static boolean holdsData(Path file) {
    try {
      Path wal = Path.of(file + "-wal");
      return Files.exists(file) && Files.size(file) > 0 || Files.exists(wal) && Files.size(wal) > 0;
    } catch (IOException e) {
      // unsure: leave what is there alone
      return true;
    }
  }

  /**
   * The rows of every table both stores have, in one SQLite transaction; the row counts by table, or null when the
   * H2 file is no store of ruqi's (another program's file of the same name, beside a path given without .db).
   */
  private static Map<String, Long> copy(Path h2Base, Path temp) throws SQLException {
    // created private before SQLite opens it: SQLite gives its -wal and -shm files the same mode
    PrivateFiles.createPrivate(temp);
    Map<String, Long> counts = new LinkedHashMap<>();
    // read only: the H2 file stays byte for byte as it was, whatever happens to the copy (H2 then reads what its
    // last commit left, as its own recovery would, without writing it back)
    try (Connection h2 = DriverManager.getConnection(StoreFactory.h2JdbcUrl("h2:" + h2Base) + ";ACCESS_MODE_DATA=r");
         Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + temp + "?journal_mode=WAL&synchronous=FULL")) {
      try (Statement s = h2.createStatement()) {
        // a SELECT streams its rows instead of gathering them first
        s.execute("SET LAZY_QUERY_EXECUTION TRUE");
      }
      if (!h2HasTable(h2, "ruqi_jobs")) {
        return null;
      }
      createSchema(sqlite);
      sqlite.setAutoCommit(false);
      try {
        for (String table : sqliteTables(sqlite)) {
          if (h2HasTable(h2, table)) {
            counts.put(table, copyTable(h2, sqlite, table));
            keepNextId(h2, sqlite, table);
          }
        }
        sqlite.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          sqlite.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      try (Statement s = sqlite.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (!rs.next() || rs.getInt(1) != 0) {
          throw new SQLException("SQLite could not write its journal into " + temp);
        }
      }
    }
    // only the file is moved: anything still in its journal would be lost with it
    Path wal = Path.of(temp + "-wal");
    if (Files.exists(wal) && sizeOf(wal) > 0) {
      throw new IllegalStateException(wal + " still holds part of the copy");
    }
    return counts;
  }

  /** What the store itself creates (SchemaInstaller), so that the file needs nothing more at its first open. */
  private static void createSchema(Connection sqlite) throws SQLException {
    try (Statement s = sqlite.createStatement()) {
      for (String statement : SchemaInstaller.statements(Dialect.SQLITE)) {
        try {
          s.execute(statement);
        } catch (SQLException e) {
          // a column added apart from its table is already in the table's CREATE on a new file
          if (!SqliteErrors.isColumnExists(e)) {
            throw e;
          }
        }
      }
    }
  }

  private static List<String> sqliteTables(Connection sqlite) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = sqlite.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  /** An H2 store made by an older release lacks the tables added since (ruqi_calendar). */
  private static boolean h2HasTable(Connection h2, String table) throws SQLException {
    try (PreparedStatement p = h2.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
        + " WHERE LOWER(TABLE_NAME) = ? AND TABLE_SCHEMA = SCHEMA()")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    }
  }

  /**
   * Copies the columns both sides have (an older H2 store lacks the later ones, which stay NULL), then checks that
   * each side counts the same rows. The table is emptied first: the new schema's own rows (ruqi_scheduler's) are
   * replaced by H2's, and an H2 table without them must not gain one. A key met twice would replace a row (INSERT OR
   * REPLACE): the count tells.
   */
  private static long copyTable(Connection h2, Connection sqlite, String table) throws SQLException {
    List<String> sqliteColumns = new ArrayList<>();
    try (PreparedStatement p = sqlite.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          sqliteColumns.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    try (Statement s = sqlite.createStatement()) {
      s.executeUpdate("DELETE FROM " + table);
    }
    long copied = 0;
    try (Statement select = h2.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      select.setFetchSize(BATCH);
      try (ResultSet rs = select.executeQuery("SELECT * FROM " + table)) {
        ResultSetMetaData meta = rs.getMetaData();
        List<Integer> shared = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String column = meta.getColumnName(i).toLowerCase(Locale.ROOT);
          if (sqliteColumns.contains(column)) {
            shared.add(i);
            names.add(column);
          }
        }
        String insert = "INSERT OR REPLACE INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
            + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
        try (PreparedStatement p = sqlite.prepareStatement(insert)) {
          while (rs.next()) {
            for (int k = 0; k < shared.size(); k++) {
              int i = shared.get(k);
              p.setObject(k + 1, value(rs, i, meta.getColumnType(i)));
            }
            p.addBatch();
            if (++copied % BATCH == 0) {
              p.executeBatch();
            }
          }
          p.executeBatch();
        }
      }
    }
    long inH2 = count(h2, table);
    long inSqlite = count(sqlite, table);
    if (inH2 != copied || inSqlite != copied) {
      throw new IllegalStateException(table + ": " + inH2 + " rows in H2, " + copied + " read, " + inSqlite
          + " in SQLite after the copy");
    }
    return copied;
  }

  /**
   * A value as the SQLite store holds it. A time keeps its fields as H2 holds them (UTC already): read as a
   * LocalDateTime, not a Timestamp, which would be moved by the JVM's time zone.
   */
  private static Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v = switch (type) {
      case Types.TIMESTAMP -> {
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        yield t == null ? null : SqliteTimes.format(t);
      }
      case Types.BOOLEAN, Types.BIT -> rs.getBoolean(i) ? 1 : 0;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rs.getLong(i);
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> rs.getDouble(i);
      case Types.CLOB, Types.NCLOB, Types.VARCHAR, Types.LONGVARCHAR, Types.CHAR -> rs.getString(i);
      default -> rs.getObject(i);
    };
    return rs.wasNull() ? null : v;
  }

  /**
   * Ids never go back: a row deleted at the end of H2's history (or audit) must not have its id given to a new
   * row, which RuQi clients paging by id would take for one they have seen.
   */
  private static void keepNextId(Connection h2, Connection sqlite, String table) throws SQLException {
    long lastGiven = 0;
    try (PreparedStatement p = h2.prepareStatement("SELECT IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
        + " WHERE LOWER(TABLE_NAME) = ? AND TABLE_SCHEMA = SCHEMA() AND IS_IDENTITY = 'YES'")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        lastGiven = rs.getLong(1) - 1;
      }
    }
    try (PreparedStatement delete = sqlite.prepareStatement("DELETE FROM sqlite_sequence WHERE name = ?");
         PreparedStatement insert = sqlite.prepareStatement("INSERT INTO sqlite_sequence (name, seq)"
             + " VALUES (?, MAX(?, (SELECT COALESCE(MAX(rowid), 0) FROM " + table + ")))")) {
      delete.setString(1, table);
      delete.executeUpdate();
      insert.setString(1, table);
      insert.setLong(2, lastGiven);
      insert.executeUpdate();
    }
  }

  private static long count(Connection conn, String table) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The first free of {@code ruqi.mv.db.migrated}, {@code .migrated.2}, ...: an earlier backup is never replaced. */
  private static Path backupName(Path legacy) {
    Path backup = Path.of(legacy + ".migrated");
    for (int n = 2; Files.exists(backup); n++) {
      backup = Path.of(legacy + ".migrated." + n);
    }
    return backup;
  }

  private static void deleteWithJournal(Path file) throws IOException {
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
    Files.deleteIfExists(file);
  }

  /** An empty file left behind is no reason to fail a start whose copy is made. */
  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("store: cannot delete {}: {}", file, e.toString());
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** A rename is on the disk once its directory is; not every platform lets a directory be opened for that. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("store: cannot force the directory {} to the disk: {}", dir, e.toString());
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }
}
