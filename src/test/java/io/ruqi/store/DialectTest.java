package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of the store's own refusals mean "already exists": the errors as the database really raises them. */
class DialectTest {
  Vertx vertx;
  Stores stores;

  String storeUrl() {
    return "sqlite:mem:" + UUID.randomUUID();
  }

  Dialect dialect() {
    return Dialect.SQLITE;
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    stores = TestNode.await(StoreFactory.open(vertx,
        RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", storeUrl())))));
    TestNode.await(stores.pool().query("CREATE TABLE dialect_probe (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL,"
        + " code VARCHAR(10) UNIQUE)").execute());
    TestNode.await(stores.pool().query("INSERT INTO dialect_probe VALUES (1, 'one', 'a')").execute());
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  @Test
  void a_taken_primary_or_unique_key_is_a_duplicate() {
    assertTrue(dialect().isDuplicateKey(failure("INSERT INTO dialect_probe VALUES (1, 'again', 'b')")));
    assertTrue(dialect().isDuplicateKey(failure("INSERT INTO dialect_probe VALUES (2, 'two', 'a')")));
  }

  @Test
  void a_null_in_a_not_null_column_is_no_duplicate_though_its_sqlstate_is_of_class_23() {
    assertFalse(dialect().isDuplicateKey(failure("INSERT INTO dialect_probe VALUES (3, NULL, 'c')")));
  }

  @Test
  void other_failures_are_no_duplicate() {
    assertFalse(dialect().isDuplicateKey(failure("INSERT INTO no_such_table VALUES (1)")));
    assertFalse(dialect().isDuplicateKey(new IllegalStateException("Duplicate entry '1' for key 'PRIMARY'")));
  }

  private Throwable failure(String sql) {
    Future<?> done = stores.pool().query(sql).execute();
    try {
      TestNode.await(done);
    } catch (RuntimeException ignored) {
      // the future holds the database's own exception
    }
    assertTrue(done.failed(), "refused: " + sql);
    return done.cause();
  }
}
