package io.ruqi.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The private MariaDB really stops, comes back with committed rows, and survives a SIGKILL. */
class MariaDbServerTest {

  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @Test
  void committedRowsSurviveStopAndKill() {
    long t = System.nanoTime();
    try (MariaDbServer db = MariaDbServer.start()) {
      t = lap("start", t);
      assertTrue(db.isRunning());
      Pool pool = pool(db.url());

      String version = query(pool, "SELECT VERSION()").iterator().next().getString(0);
      assertTrue(version.contains("MariaDB"), version);
      query(pool, "CREATE TABLE job (id INT PRIMARY KEY, name VARCHAR(50)) ENGINE=InnoDB");
      await(pool.preparedQuery("INSERT INTO job VALUES (?, ?)").execute(Tuple.of(1, "如期")));

      t = System.nanoTime();
      db.stop();
      t = lap("stop", t);
      assertFalse(db.isRunning());
      // The outage is real: the pool cannot reach the server.
      assertThrows(ExecutionException.class, () -> awaitChecked(pool.query("SELECT 1").execute()));

      db.startAgain();
      t = lap("startAgain", t);
      // The same pool recovers once the server is back: the durable row is there.
      assertEquals(List.of("1 如期"), jobs(pool));

      await(pool.preparedQuery("INSERT INTO job VALUES (?, ?)").execute(Tuple.of(2, "committed")));
      db.kill();
      assertFalse(db.isRunning());
      t = System.nanoTime();
      db.startAgain();
      lap("startAgain after kill (crash recovery)", t);
      assertEquals(List.of("1 如期", "2 committed"), jobs(pool));
      await(pool.close());
    }
  }

  @Test
  void sharedServerGivesEachClassItsOwnDatabase() {
    MariaDbServer db = MariaDbServer.shared();
    assertTrue(db == MariaDbServer.shared());
    String url = db.createDatabase("ruqi_mdbtest");
    assertEquals(db.url("ruqi_mdbtest"), url);
    assertTrue(url.endsWith(":" + db.port() + "/ruqi_mdbtest"), url);

    Pool pool = pool(url);
    Row row = query(pool, "SELECT DATABASE(), CURRENT_USER(), @@character_set_database").iterator().next();
    assertEquals("ruqi_mdbtest", row.getString(0));
    assertEquals("ruqi@127.0.0.1", row.getString(1));
    assertEquals("utf8mb4", row.getString(2));
    query(pool, "CREATE TABLE t (id INT)");
    await(pool.close());

    // createDatabase gives an empty database even if a previous run left one behind.
    db.createDatabase("ruqi_mdbtest");
    assertEquals("", db.sql("SHOW TABLES FROM ruqi_mdbtest").trim());
    assertEquals("mysql_native_password\nmysql_native_password",
      db.sql("SELECT plugin FROM mysql.user WHERE user = 'ruqi'").trim());

    // Other classes use the shared server: it refuses to go down and close() leaves it running.
    assertThrows(IllegalStateException.class, db::stop);
    assertThrows(IllegalStateException.class, db::kill);
    db.close();
    assertTrue(db.isRunning());
    assertThrows(IllegalArgumentException.class, () -> db.createDatabase("other"));
  }

  private static Pool pool(String url) {
    return MySQLBuilder.pool()
      .connectingTo(MySQLConnectOptions.fromUri(url))
      .with(new PoolOptions().setMaxSize(2))
      .using(vertx)
      .build();
  }

  private static RowSet<Row> query(Pool pool, String sql) {
    return await(pool.query(sql).execute());
  }

  private static List<String> jobs(Pool pool) {
    List<String> jobs = new ArrayList<>();
    query(pool, "SELECT id, name FROM job ORDER BY id").forEach(r -> jobs.add(r.getInteger(0) + " " + r.getString(1)));
    return jobs;
  }

  private static long lap(String what, long since) {
    long now = System.nanoTime();
    System.out.printf("MariaDbServer %s: %d ms%n", what, (now - since) / 1_000_000);
    return now;
  }

  private static <T> T await(Future<T> future) {
    try {
      return awaitChecked(future);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T awaitChecked(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
