package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** EventBusApiTest's tests again, on MariaDB through the MySQL store. */
class MySqlEventBusApiTest extends EventBusApiTest implements OnMariaDb {
}
