package io.ruqi.store;

import io.ruqi.config.ConfigKeys;
import io.ruqi.config.ConfigException;
import io.ruqi.config.RuqiConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/** Opens the store named by {@code store.url} and creates its missing tables. */
public final class StoreFactory {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFactory.class);

  private StoreFactory() {
  }

  /**
   * Fails with a {@link StoreUnavailableException} when the database cannot be reached (worth trying again), with a
   * {@link ConfigException} when it refused ruqi or the URL is wrong.
   */
  public static Future<Stores> open(Vertx vertx, RuqiConfig config) {
    String url = config.storeUrl();
    if (url.startsWith("mysql://")) {
      List<MySQLConnectOptions> hosts;
      try {
        hosts = StoreHosts.parse(url);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new ConfigException(ConfigKeys.STORE_URL, e.getMessage()));
      }
      int size = config.storePoolSize();
      Future<Pool> pool = hosts.size() == 1 ? Future.succeededFuture(mysqlPool(vertx, hosts.get(0), size, false))
          : FailoverPool.open(vertx, hosts, host -> mysqlPool(vertx, host, size, true), host -> probePool(vertx, host));
      // InnoDB commits durably itself (innodb_flush_log_at_trx_commit=1)
      return pool.compose(p -> install(p, url)
          .map(v -> Stores.over(p, p, Dialect.MYSQL, DurableCommits.ALREADY, size)));
    }
    if (url.startsWith("sqlite:")) {
      return openSqlite(vertx, url);
    }
    String jdbcUrl = h2JdbcUrl(url);
    Path file = h2File(url);
    return vertx.executeBlocking(() -> {
      if (file != null) {
        PrivateFiles.directoriesFor(file);
      }
      return null;
    }, false).compose(v -> {
      Pool pool = h2Pool(vertx, jdbcUrl, "ruqi-store");
      Pool marks = h2Pool(vertx, jdbcUrl, "ruqi-store-marks");
      return install(pool, url)
          .compose(v2 -> jdbcUrl.startsWith("jdbc:h2:mem:") ? Future.succeededFuture(DurableCommits.ALREADY)
              : H2GroupSync.open(vertx, jdbcUrl))
          .compose(durable -> vertx.executeBlocking(() -> {
            if (file != null) {
              PrivateFiles.restrict(file);
            }
            return Stores.over(pool, marks, Dialect.H2, durable, 1);
          }, false))
          .recover(e -> marks.close().eventually(pool::close).transform(ignored -> Future.failedFuture(e)));
    });
  }

  /**
   * One connection for everything, marks included: SQLite has one write lock for the whole database, so a second
   * connection would only wait for it in the driver's busy loop (which sleeps) instead of in the pool's queue. WAL
   * mode with synchronous=FULL: every commit is forced to the disk before it completes, so an answer after it is
   * durable without {@link H2GroupSync}; readers of another process (a backup) do not stop the writer.
   */
  private static Future<Stores> openSqlite(Vertx vertx, String url) {
    Path file = sqliteFile(url);
    return vertx.executeBlocking(() -> {
      if (file == null) {
        return (AutoCloseable) () -> { };
      }
      PrivateFiles.directoriesFor(file);
      StoreFileLock lock = StoreFileLock.take(file);
      try {
        H2ToSqlite.migrateIfFound(file);
        PrivateFiles.createPrivate(file);
      } catch (RuntimeException e) {
        lock.close();
        throw e;
      }
      return (AutoCloseable) lock;
    }, false).compose(lock -> {
      Pool pool = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(sqliteJdbcUrl(url))
              .setExtraConfig(new JsonObject().put("encoderCls", SqliteEncoder.class.getName())
                  .put("decoderCls", SqliteDecoder.class.getName())),
          new PoolOptions().setMaxSize(1).setName("ruqi-store"));
      return install(pool, url, Dialect.SQLITE)
          // a file restored from a backup (cp, sqlite3's .backup) has the mode of whoever made it
          .compose(v -> vertx.executeBlocking(() -> {
            if (file != null) {
              PrivateFiles.restrictSqlite(file);
            }
            return Stores.over(pool, pool, Dialect.SQLITE, DurableCommits.ALREADY, 1, lock);
          }, false))
          .onFailure(e -> {
            // install closed the pool itself; a failure after it (the files' modes) did not
            pool.close();
            try {
              lock.close();
            } catch (Exception ignored) {
              // released with the process
            }
          });
    });
  }

  /**
   * {@code sqlite:data/ruqi.db} is a file next to the working directory; {@code sqlite:mem:x} a database in memory
   * for tests, kept while its one connection is open.
   */
  static String sqliteJdbcUrl(String url) {
    String target = url.substring("sqlite:".length());
    String settings = "journal_mode=WAL&synchronous=FULL&busy_timeout=5000";
    if (target.startsWith("mem:")) {
      return "jdbc:sqlite:file:" + target.substring("mem:".length()) + "?mode=memory&cache=shared&" + settings;
    }
    return "jdbc:sqlite:" + Path.of(target).toAbsolutePath().normalize() + "?" + settings;
  }

  /** The database file of {@code sqlite:data/ruqi.db}; null for memory. */
  static Path sqliteFile(String url) {
    String target = url.substring("sqlite:".length());
    return target.startsWith("mem:") ? null : Path.of(target).toAbsolutePath().normalize();
  }

  private static Future<Void> install(Pool pool, String url) {
    return install(pool, url, Dialect.MYSQL);
  }

  private static Future<Void> install(Pool pool, String url, Dialect dialect) {
    return SchemaInstaller.install(pool, dialect).recover(e -> pool.close().transform(ignored -> Future.failedFuture(
        StoreErrors.isUnavailable(e) && !SqliteErrors.isUnusableFile(e) ? new StoreUnavailableException(e)
            : new ConfigException(ConfigKeys.STORE_URL, "cannot open " + redacted(url) + ": " + e.getMessage()))));
  }

  /**
   * One connection: the JDBC pool runs statements on an ordered worker queue, so with more connections a
   * transaction waiting for an H2 row lock could block the very transaction that holds it until H2's lock timeout
   * (seen under load in the benchmark). An embedded database gains nothing from parallel connections anyway.
   * The start marks have a pool of their own ({@code ruqi-store-marks}), so that a mark, due within milliseconds,
   * does not wait for a claim's or a history write's whole transaction. A mark is one statement in its own
   * transaction, and it changes only this node's running rows of fires claimed and not started, which no other
   * transaction of the node changes or locks (a history write ends started fires, a take-over takes a dead node's,
   * a chain's start reads a child's running rows without a lock on H2), so it never waits for the main connection.
   */
  private static Pool h2Pool(Vertx vertx, String jdbcUrl, String name) {
    return JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(jdbcUrl),
        new PoolOptions().setMaxSize(1).setName(name));
  }

  /**
   * Fails fast while the database is down (a request waits at most a few seconds for a connection), so that the
   * API can answer 503 instead of hanging; the pool reconnects by itself when the database is back.
   * {@code galera}: the pool is one of a {@link FailoverPool}'s, and each new connection first waits until its member
   * has applied every commit the cluster made (one that this node made through the member it used before included).
   */
  private static Pool mysqlPool(Vertx vertx, MySQLConnectOptions host, int size, boolean galera) {
    MySQLConnectOptions connect = new MySQLConnectOptions(host)
        .setCharset("utf8mb4").setCollation("utf8mb4_general_ci")
        // one round trip per statement instead of prepare, execute, close: the claim and history batches repeat;
        // a long statement only if its lists are padded to a few lengths (InLists)
        .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(512)
        .setPreparedStatementCacheSqlFilter(InLists::keptPrepared);
    PoolOptions pool = new PoolOptions().setMaxSize(size).setName("ruqi-store").setConnectionTimeout(5)
        .setMaxWaitQueueSize(10_000).setIdleTimeout(60);
    // a claim waits at most 5 s for another's row lock (MySQL's default is 50 s): one stuck transaction must not
    // stall a scheduler; the claim then fails and its fires are read again
    return MySQLBuilder.pool().with(pool).connectingTo(connect).using(vertx)
        .withConnectHandler(conn -> conn.query("SET SESSION innodb_lock_wait_timeout = 5").execute()
            .compose(v -> galera ? causalStart(conn) : Future.succeededFuture())
            .onComplete(ar -> conn.close()))
        .build();
  }

  /** wsrep_sync_wait for one read only: kept on, every read would wait a round of the cluster. */
  private static Future<Void> causalStart(SqlConnection conn) {
    return conn.query("SET SESSION wsrep_sync_wait = 1").execute()
        .compose(v -> conn.query("SELECT 1").execute())
        .compose(v -> conn.query("SET SESSION wsrep_sync_wait = 0").execute())
        .<Void>mapEmpty()
        .recover(e -> {
          // a member that cannot wait (not Synced) is left by the watch within a second
          LOG.warn("store: a new connection could not wait for the cluster's last commits: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** One connection for a member's health checks, apart from the work, so that a full pool does not hide it. */
  private static Pool probePool(Vertx vertx, MySQLConnectOptions host) {
    return MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("ruqi-store-probe-" + StoreHosts.name(host))
            .setConnectionTimeout(2).setIdleTimeout(60))
        .connectingTo(new MySQLConnectOptions(host)).using(vertx).build();
  }

  /** The URL without its password, for messages. */
  public static String redacted(String url) {
    return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
  }

  /**
   * {@code h2:data/ruqi} is a file next to the working directory, {@code h2:mem:x} an in-memory database for
   * tests. MySQL mode so schema.sql runs unchanged; WRITE_DELAY=0 so a commit is written in the committing thread
   * (not by a background writer a second later), and {@link H2GroupSync} forces it to the disk before the reply.
   * That a written commit is found again after a kill rests on H2 itself: 2.5.252 lost it (see pom.xml and
   * EmbeddedCrashImageTest).
   * TRACE_LEVEL_FILE=0: H2's own trace file logged every exception its JDBC layer threw, even those ruqi expects and
   * handles (a duplicate job_id), and grew without bound; the errors that matter reach ruqi's log as exceptions.
   */
  static String h2JdbcUrl(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return url;
    }
    String target = url.substring("h2:".length());
    String settings = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE";
    if (target.startsWith("mem:")) {
      return "jdbc:h2:" + target + ";DB_CLOSE_DELAY=-1" + settings;
    }
    Path path = Path.of(target).toAbsolutePath().normalize();
    return "jdbc:h2:file:" + path + settings + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0";
  }

  /** The database file's base path ({@code data/ruqi} of {@code h2:data/ruqi}); null for memory or a jdbc: URL. */
  static Path h2File(String url) {
    if (!url.startsWith("h2:") || url.startsWith("h2:mem:")) {
      return null;
    }
    return Path.of(url.substring("h2:".length())).toAbsolutePath().normalize();
  }
}
