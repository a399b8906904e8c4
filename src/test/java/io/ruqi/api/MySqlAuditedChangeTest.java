package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** AuditedChangeTest's tests again, on MariaDB through the MySQL store. */
class MySqlAuditedChangeTest extends AuditedChangeTest implements OnMariaDb {
}
