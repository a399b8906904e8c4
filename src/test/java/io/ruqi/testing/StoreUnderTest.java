package io.ruqi.testing;

import io.vertx.core.json.JsonObject;

/**
 * The store a test class's nodes use, as node configuration to build on: the embedded one. A {@code MySql*}
 * subclass that also implements {@link OnMariaDb} runs the same tests again on MariaDB.
 */
public interface StoreUnderTest {
  default JsonObject store() {
    return new JsonObject();
  }
}
