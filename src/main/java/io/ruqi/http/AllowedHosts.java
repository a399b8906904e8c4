package io.ruqi.http;

import io.ruqi.config.HttpSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names this service may be reached by, checked against every request's {@code Host} header. A page on
 * {@code attacker.example} whose name the attacker points at 127.0.0.1 (DNS rebinding) is, for the browser, on
 * the same origin as its calls, so no Origin check can catch it: only the Host it sends, the attacker's name, does.
 * An IP address can never be rebound, so a Host that is one is always accepted (load balancers and scripts that
 * use the address keep working on any bind address); names must be {@code localhost}, the bind name, the host
 * of {@code exec.base_url} or listed in {@code http.allowed_hosts}.
 */
final class AllowedHosts {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

  private final boolean any;
  private final Set<String> names;
  private final List<String> suffixes;

  private AllowedHosts(boolean any, Set<String> names, List<String> suffixes) {
    this.any = any;
    this.names = names;
    this.suffixes = suffixes;
  }

  static AllowedHosts of(HttpSettings settings, String bindHost, String execBaseUrl) {
    Set<String> names = new HashSet<>();
    List<String> suffixes = new ArrayList<>();
    boolean any = false;
    names.add("localhost");
    names.add(normalized(bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost));
    if (execBaseUrl != null) {
      String baseHost = URI.create(execBaseUrl).getHost();
      if (baseHost != null) {
        names.add(normalized(baseHost));
      }
    }
    for (String entry : settings.allowedHosts()) {
      if (entry.equals("*")) {
        any = true;
      } else if (entry.startsWith("*.")) {
        suffixes.add(entry.substring(1));
      } else {
        names.add(entry);
      }
    }
    return new AllowedHosts(any, Set.copyOf(names), List.copyOf(suffixes));
  }

  /** @param host a host name or address as a Host header carries it, without the port */
  boolean allows(String host) {
    String name = normalized(host);
    if (any || isIpAddress(name) || names.contains(name)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  /** {@code Example.COM.} → {@code example.com}: names are compared case-blind and without the root's dot. */
  static String normalized(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  static boolean isIpAddress(String host) {
    return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
  }
}
