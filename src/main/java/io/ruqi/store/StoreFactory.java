package io.ruqi.store;

import io.ruqi.config.ConfigKeys;
import io.ruqi.config.ConfigException;
import io.ruqi.config.RuqiConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Path;

/** Opens the store named by {@code store.url} and creates its missing tables. */
public final class StoreFactory {

  private StoreFactory() {
  }

  public static Future<Stores> open(Vertx vertx, RuqiConfig config) {
    String url = config.storeUrl();
    boolean mysql = url.startsWith("mysql://");
    Pool pool;
    try {
      pool = mysql ? mysqlPool(vertx, url, config.storePoolSize()) : h2Pool(vertx, url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConfigException(ConfigKeys.STORE_URL, e.getMessage()));
    }
    return SchemaInstaller.install(pool)
        .map(v -> Stores.over(pool, mysql ? Dialect.MYSQL : Dialect.H2))
        .recover(e -> pool.close().transform(ignored -> Future.failedFuture(
            new ConfigException(ConfigKeys.STORE_URL, "cannot open " + redacted(url) + ": " + e.getMessage()))));
  }

  /**
   * One connection: the JDBC pool runs statements on an ordered worker queue, so with more connections a
   * transaction waiting for an H2 row lock could block the very transaction that holds it until H2's lock timeout
   * (seen under load in the benchmark). An embedded database gains nothing from parallel connections anyway.
   */
  private static Pool h2Pool(Vertx vertx, String url) {
    return JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(h2JdbcUrl(url)),
        new PoolOptions().setMaxSize(1).setName("ruqi-store"));
  }

  /**
   * Fails fast while the database is down (a request waits at most a few seconds for a connection), so that the
   * API can answer 503 instead of hanging; the pool reconnects by itself when the database is back.
   */
  private static Pool mysqlPool(Vertx vertx, String url, int size) {
    MySQLConnectOptions connect = MySQLConnectOptions.fromUri(url)
        .setCharset("utf8mb4").setCollation("utf8mb4_general_ci")
        // one round trip per statement instead of prepare, execute, close: the claim and history batches repeat
        .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(512);
    if (connect.getDatabase() == null || connect.getDatabase().isEmpty()) {
      throw new IllegalArgumentException("name the database: mysql://user:password@host:3306/ruqi");
    }
    PoolOptions pool = new PoolOptions().setMaxSize(size).setName("ruqi-store").setConnectionTimeout(5)
        .setMaxWaitQueueSize(10_000).setIdleTimeout(60);
    // a claim waits at most 5 s for another's row lock (MySQL's default is 50 s): one stuck transaction must not
    // stall a scheduler; the claim then fails and its fires are read again
    return MySQLBuilder.pool().with(pool).connectingTo(connect).using(vertx)
        .withConnectHandler(conn -> conn.query("SET SESSION innodb_lock_wait_timeout = 5").execute()
            .onComplete(ar -> conn.close()))
        .build();
  }

  /** The URL without its password, for messages. */
  public static String redacted(String url) {
    return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
  }

  /**
   * {@code h2:data/ruqi} is a file next to the working directory, {@code h2:mem:x} an in-memory database for
   * tests. MySQL mode so schema.sql runs unchanged; WRITE_DELAY=0 so an acknowledged write has reached the file
   * before the reply (a kill -9 must not lose it).
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
    return "jdbc:h2:file:" + path + settings + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }
}
