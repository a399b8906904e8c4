package io.ruqi.exec;

import io.ruqi.config.PolicySettings;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;

/**
 * The allowlists of what commands may do, checked when a job is added or modified and again when it runs (the
 * configuration may have changed meanwhile). A program pattern without a {@code /} names a program found on the
 * PATH and matches only a command that names it the same way; a pattern with a {@code /} is a glob over the path
 * as written in the command ({@code /opt/jobs/*}, {@code scripts/**}). A host pattern is a glob over the host
 * ({@code *.example.com}), with an optional {@code :port}. Calls to this service ({@code /path}) and to the event
 * bus (the trusted cluster) are not restricted.
 */
public final class CommandPolicy {
  private final List<String> programs;
  private final List<String> hosts;

  public CommandPolicy(PolicySettings settings) {
    this.programs = settings.programs();
    this.hosts = settings.httpHosts();
  }

  public static CommandPolicy open() {
    return new CommandPolicy(new PolicySettings(List.of(), List.of()));
  }

  public void check(Command command) {
    if (command instanceof Command.Process p && !programs.isEmpty()) {
      String program = p.argv().get(0);
      if (programs.stream().noneMatch(pattern -> programMatches(pattern, program))) {
        throw new CommandException("denied by policy: program '" + program + "' is not in policy.programs");
      }
    }
    if (command instanceof Command.Http h && !hosts.isEmpty()) {
      URI uri = URI.create(h.url());
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      if (hosts.stream().noneMatch(pattern -> hostMatches(pattern, host, port))) {
        throw new CommandException("denied by policy: host '" + host + "' is not in policy.http_hosts");
      }
    }
  }

  private static boolean programMatches(String pattern, String program) {
    if (!pattern.contains("/")) {
      return !program.contains("/") && pattern.equals(program);
    }
    if (!program.contains("/")) {
      return false;
    }
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    return glob.matches(Path.of(program).normalize());
  }

  private static boolean hostMatches(String pattern, String host, int port) {
    String p = pattern.toLowerCase(Locale.ROOT);
    int colon = p.lastIndexOf(':');
    if (colon > 0 && p.substring(colon + 1).matches("\\d+")) {
      if (Integer.parseInt(p.substring(colon + 1)) != port) {
        return false;
      }
      p = p.substring(0, colon);
    }
    String regex = ("\\Q" + p + "\\E").replace("*", "\\E[^.]*(?:\\.[^.]*)*\\Q");
    return host.matches(regex);
  }
}
