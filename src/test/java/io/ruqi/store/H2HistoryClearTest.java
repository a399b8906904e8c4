package io.ruqi.store;

import java.util.UUID;

/** The history clearing tests on H2, the embedded store of earlier releases (still opened by an h2: URL). */
class H2HistoryClearTest extends HistoryClearTest {
  @Override
  String storeUrl() {
    return "h2:mem:" + UUID.randomUUID();
  }
}
