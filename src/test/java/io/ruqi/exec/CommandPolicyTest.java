package io.ruqi.exec;

import io.ruqi.config.PolicySettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allowlists' matching rules, on their own. */
class CommandPolicyTest {

  static CommandPolicy hosts(String... patterns) {
    return new CommandPolicy(new PolicySettings(List.of(), List.of(patterns)));
  }

  static void allowed(CommandPolicy policy, String url) {
    assertDoesNotThrow(() -> policy.check(new Command.Http(url, null)), url);
  }

  static void refused(CommandPolicy policy, String url) {
    CommandException e = assertThrows(CommandException.class,
        () -> policy.check(new Command.Http(url, null)), url);
    assertTrue(e.getMessage().contains("denied by policy"), e.getMessage());
  }

  @Test
  void a_star_is_one_label_and_never_crosses_a_dot() {
    CommandPolicy ip = hosts("10.0.0.*");
    allowed(ip, "http://10.0.0.5/x");
    allowed(ip, "http://10.0.0.255:8080/x");
    refused(ip, "http://10.0.0.5.attacker.example/x");
    refused(ip, "http://10.0.0.attacker.example/x");

    CommandPolicy sub = hosts("*.example.com");
    allowed(sub, "https://api.example.com/hook");
    allowed(sub, "https://API.Example.COM/hook");
    refused(sub, "https://a.b.example.com/hook");
    refused(sub, "https://example.com/hook");
    refused(sub, "https://api.example.com.attacker.example/hook");
    refused(sub, "https://apiexample.com/hook");

    CommandPolicy partial = hosts("api-*.example.com");
    allowed(partial, "http://api-eu.example.com/");
    refused(partial, "http://api-eu.x.example.com/");
  }

  @Test
  void a_port_in_a_pattern_must_match_and_the_scheme_gives_the_default() {
    CommandPolicy policy = hosts("*.example.com:8443", "plain.example.org:80", "tls.example.org:443");
    allowed(policy, "https://api.example.com:8443/x");
    refused(policy, "https://api.example.com/x");
    allowed(policy, "http://plain.example.org/x");
    refused(policy, "https://plain.example.org/x");
    allowed(policy, "https://tls.example.org/x");
    refused(policy, "http://tls.example.org/x");
  }

  @Test
  void exact_hosts_match_exactly() {
    CommandPolicy policy = hosts("127.0.0.1");
    allowed(policy, "http://127.0.0.1:9/x");
    refused(policy, "http://127.0.0.2:9/x");
    refused(policy, "http://127.0.0.10/x");
    refused(policy, "http://localhost/x");
    refused(policy, "http://127.0.0.1.attacker.example/x");
  }

  @Test
  void a_program_path_no_file_can_have_is_refused_not_an_exception() {
    CommandPolicy policy = new CommandPolicy(new PolicySettings(List.of("/opt/jobs/*"), List.of()));
    assertDoesNotThrow(() -> policy.check(new Command.Process(List.of("/opt/jobs/report"))));
    CommandException e = assertThrows(CommandException.class,
        () -> policy.check(new Command.Process(List.of("/opt/jobs/x\0y"))));
    assertTrue(e.getMessage().contains("denied by policy"), e.getMessage());
  }

  @Test
  void an_empty_list_allows_every_host() {
    allowed(hosts(), "http://anything.example/x");
  }
}
