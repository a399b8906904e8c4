package io.ruqi.http;

import io.ruqi.config.HttpSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Host names pass: addresses always, names only when they are the service's own. */
class AllowedHostsTest {

  static AllowedHosts hosts(String bind, String baseUrl, String... listed) {
    return AllowedHosts.of(new HttpSettings(List.of(listed), Duration.ofSeconds(75), Duration.ofSeconds(20)), bind,
        baseUrl);
  }

  @Test
  void addresses_pass_on_any_bind_address_but_names_must_be_known() {
    AllowedHosts wildcard = hosts("0.0.0.0", null);
    for (String ok : new String[] {"10.0.0.5", "127.0.0.1", "[::1]", "[fe80::1]", "localhost", "LocalHost."}) {
      assertTrue(wildcard.allows(ok), ok);
    }
    for (String refused : new String[] {"ruqi.example.com", "999.1.1.1", "127.0.0.1.nip.io", "0x7f.1", "::1",
        "localhost.attacker.example"}) {
      assertFalse(wildcard.allows(refused), refused);
    }
  }

  @Test
  void the_bind_name_the_base_url_and_the_listed_names_pass() {
    AllowedHosts named = hosts("ruqi-box", "http://Jobs.Internal:8585/", "ruqi.example.com", "*.corp.example");
    for (String ok : new String[] {"ruqi-box", "jobs.internal", "ruqi.example.com", "a.corp.example",
        "b.a.corp.example"}) {
      assertTrue(named.allows(ok), ok);
    }
    for (String refused : new String[] {"corp.example", "xcorp.example", "example.com", "ruqi.example.com.evil"}) {
      assertFalse(named.allows(refused), refused);
    }
    assertTrue(hosts("::1", null).allows("[::1]"));
    assertTrue(hosts("127.0.0.1", null, "*").allows("anything.at.all"));
  }
}
