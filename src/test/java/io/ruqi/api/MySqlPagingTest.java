package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** PagingTest's tests again, on MariaDB through the MySQL store. */
class MySqlPagingTest extends PagingTest implements OnMariaDb {
}
