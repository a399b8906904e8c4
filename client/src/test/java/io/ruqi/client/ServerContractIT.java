package io.ruqi.client;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The client's copy of what the server defines stays the server's (the server's jar is on this test's path). */
class ServerContractIT {

  @Test
  void the_stat_codes_are_the_servers() throws Exception {
    assertEquals(constants(Class.forName("io.ruqi.api.Stat")), constants(Stat.class));
  }

  @Test
  void the_events_address_is_the_servers() throws Exception {
    assertEquals(Class.forName("io.ruqi.events.RuqiEvents").getField("ADDRESS").get(null), EventBusTransport.EVENTS);
  }

  private static Set<String> constants(Class<?> holder) throws IllegalAccessException {
    Set<String> out = new TreeSet<>();
    for (Field f : holder.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        out.add(f.getName() + "=" + f.get(null));
      }
    }
    return out;
  }
}
