package io.ruqi.schedule;

import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;

/** Every calendar firing test again, on MariaDB through the MySQL store. */
class MySqlCalendarFiringTest extends CalendarFiringTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("calfire");
  }
}
