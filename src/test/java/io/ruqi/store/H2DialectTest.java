package io.ruqi.store;

import java.util.UUID;

/** The dialect tests on H2, the embedded store of earlier releases (still opened by an h2: URL). */
class H2DialectTest extends DialectTest {
  @Override
  String storeUrl() {
    return "h2:mem:" + UUID.randomUUID();
  }

  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
