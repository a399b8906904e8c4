package io.ruqi.store;

import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** store.url's list of hosts: each member with the same user, password, database and options. */
class StoreHostsTest {

  @Test
  void a_list_of_hosts_is_one_connect_options_per_member_in_order() {
    List<MySQLConnectOptions> hosts = StoreHosts.parse("mysql://ruqi:pw@db1:3306,db2:3307, db3/ruqi");
    assertEquals(List.of("db1:3306", "db2:3307", "db3:3306"), hosts.stream().map(StoreHosts::name).toList());
    for (MySQLConnectOptions h : hosts) {
      assertEquals("ruqi", h.getUser());
      assertEquals("pw", h.getPassword());
      assertEquals("ruqi", h.getDatabase());
    }
  }

  @Test
  void one_host_is_one_member() {
    List<MySQLConnectOptions> hosts = StoreHosts.parse("mysql://u:p@127.0.0.1:3306/ruqi");
    assertEquals(1, hosts.size());
    assertEquals("127.0.0.1:3306", StoreHosts.name(hosts.get(0)));
  }

  @Test
  void a_bad_list_is_refused_with_what_is_wrong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StoreHosts.parse("mysql://u:p@db1,,db2/ruqi"))
        .getMessage().contains("empty host"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StoreHosts.parse("mysql://u:p@db1,db1/ruqi"))
        .getMessage().contains("listed twice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StoreHosts.parse("mysql://u:p@db1,db2"))
        .getMessage().contains("name the database"));
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> StoreHosts.parse("mysql://u:secret@db1,db2:x/ruqi"));
    assertTrue(!port.getMessage().contains("secret"), "the password stays out of the message: " + port.getMessage());
  }
}
