package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** CommandInputTest's tests again, on MariaDB through the MySQL store. */
class MySqlCommandInputTest extends CommandInputTest implements OnMariaDb {
}
