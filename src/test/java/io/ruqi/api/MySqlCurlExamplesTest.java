package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** CurlExamplesTest's tests again, on MariaDB through the MySQL store. */
class MySqlCurlExamplesTest extends CurlExamplesTest implements OnMariaDb {
}
