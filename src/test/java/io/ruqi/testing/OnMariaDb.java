package io.ruqi.testing;

import io.vertx.core.json.JsonObject;

/**
 * A fresh database for each node, on the one private MariaDB this JVM shares ({@link MariaDbServer#shared()}), so
 * a class's MariaDB run costs a {@code CREATE DATABASE} per node, not a server per class.
 */
public interface OnMariaDb extends StoreUnderTest {
  @Override
  default JsonObject store() {
    return MySqlStores.freshStore(getClass().getSimpleName());
  }
}
