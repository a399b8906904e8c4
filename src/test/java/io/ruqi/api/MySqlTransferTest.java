package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** TransferTest's tests again, on MariaDB through the MySQL store. */
class MySqlTransferTest extends TransferTest implements OnMariaDb {
}
