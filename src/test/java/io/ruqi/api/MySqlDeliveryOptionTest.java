package io.ruqi.api;

import io.ruqi.testing.OnMariaDb;

/** DeliveryOptionTest's tests again, on MariaDB through the MySQL store. */
class MySqlDeliveryOptionTest extends DeliveryOptionTest implements OnMariaDb {
}
