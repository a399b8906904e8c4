package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * On SQLite, calendar names differ by case ("Holidays" and "holidays" are two calendars, as its keys compare
 * bytes): the jobs that keep a calendar from being removed are found by its exact name, however many jobs name the
 * other one.
 */
class SqliteCalendarNamesTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  Vertx vertx;
  Stores stores;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    stores = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject()
        .put("store", new JsonObject().put("url", "sqlite:mem:" + UUID.randomUUID())))));
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  void calendar(String name) {
    TestNode.await(stores.calendars().put(name, "[\"2026-12-25\"]", T,
        change -> new AuditRecord(0, T, "test", "calendar_set", null, null, null, "test")));
  }

  void jobNaming(String id, String calendar) {
    TestNode.await(stores.jobs().insert(new Job(id, "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T,
        T.plusSeconds(10), false, new JsonObject().put("calendar", calendar), 0, T, T)));
  }

  @Test
  void a_calendar_named_by_a_job_is_not_removed_though_more_jobs_name_another_of_other_case() {
    calendar("Holidays");
    calendar("holidays");
    for (int i = 0; i < 12; i++) {
      jobNaming("a-" + i, "Holidays");
    }
    jobNaming("zz", "holidays");
    CalendarStore.Removal refused = TestNode.await(stores.calendars().delete("holidays", 10,
        before -> new AuditRecord(0, T, "test", "calendar_delete", null, null, null, "test")));
    assertNull(refused.removed());
    assertEquals(List.of("zz"), refused.namedBy());
  }
}
