package io.ruqi.api;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every calendar API test again, on MariaDB through the MySQL store. */
class MySqlCalendarApiTest extends CalendarApiTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("calapi");
  }
}
