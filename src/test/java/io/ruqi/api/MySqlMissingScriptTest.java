package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** MissingScriptTest's tests again, on MariaDB through the MySQL store. */
class MySqlMissingScriptTest extends MissingScriptTest implements OnMariaDb {
}
