package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** RuqiClientTest's tests again, on MariaDB through the MySQL store. */
class MySqlRuqiClientTest extends RuqiClientTest implements OnMariaDb {
}
