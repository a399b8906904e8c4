package io.ruqi.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The artifact does not drag in the server: on its own class path (its dependencies) no class of ruqi's is. */
class StandaloneTest {

  @Test
  void no_server_class_is_on_the_clients_class_path() {
    for (String serverClass : new String[] {"io.ruqi.Main", "io.ruqi.cluster.ClusteredVertx", "io.ruqi.api.Stat"}) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(serverClass), serverClass);
    }
    assertThrows(ClassNotFoundException.class, () -> Class.forName("com.hazelcast.core.HazelcastInstance"));
  }
}
