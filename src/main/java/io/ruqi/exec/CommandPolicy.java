package io.ruqi.exec;

import io.ruqi.config.PolicySettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;

/**
 * The allowlists of what commands may do, checked when a job is added or modified and again when it runs (the
 * configuration may have changed meanwhile). A program pattern without a {@code /} names a program found on the
 * PATH and matches only a command that names it the same way; a pattern with a {@code /} is a glob over the path
 * as written in the command ({@code /opt/jobs/*}, {@code scripts/**}). A host pattern names a host, with an optional
 * {@code :port}; a {@code *} in it stands for one DNS label or part of one, never a dot, as in TLS certificates:
 * {@code *.example.com} matches {@code api.example.com} but neither {@code example.com} nor
 * {@code a.b.example.com}, and {@code 10.0.0.*} does not match {@code 10.0.0.5.attacker.example}. Calls to this
 * service ({@code /path}) and to the event bus (the trusted cluster) are not restricted.
 */
public final class CommandPolicy {
  private final List<String> programs;
  private final List<String> hosts;

  public CommandPolicy(PolicySettings settings) {
    this.programs = settings.programs();
    this.hosts = settings.httpHosts();
  }

  public void check(Command command) {
    if (command instanceof Command.Process p && !programs.isEmpty()) {
      String program = p.argv().get(0);
      if (programs.stream().noneMatch(pattern -> programMatches(pattern, program))) {
        throw new CommandException("denied by policy: program '" + program + "' is not in policy.programs");
      }
    }
    if (command instanceof Command.Http h) {
      checkUrl(h.url());
    }
  }

  /** Refuses a URL whose host (and port) policy.http_hosts does not list: a command's, a redirect's, an alert's. */
  public void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new CommandException("not a valid URL: " + CommandParser.shorten(url) + " (" + e.getReason() + ")");
    }
    if (uri.getHost() == null) {
      throw new CommandException("the URL has no host: " + CommandParser.shorten(url));
    }
    checkHost(uri);
  }

  /** As {@link #checkUrl}, for a URI already parsed (the one that will be connected to). */
  public void checkHost(URI uri) {
    if (hosts.isEmpty()) {
      return;
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = portOf(uri);
    if (hosts.stream().noneMatch(pattern -> hostMatches(pattern, host, port))) {
      throw new CommandException("denied by policy: host '" + host + "' is not in policy.http_hosts");
    }
  }

  /** The port a request to {@code uri} goes to: its own, or its scheme's. */
  static int portOf(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean programMatches(String pattern, String program) {
    if (!pattern.contains("/")) {
      return !program.contains("/") && pattern.equals(program);
    }
    if (!program.contains("/")) {
      return false;
    }
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try {
      return glob.matches(Path.of(program).normalize());
    } catch (InvalidPathException e) {
      return false; // no file has this name, so no pattern allows it
    }
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
    // one label or part of one: a dot is never matched by *, so 10.0.0.* cannot reach 10.0.0.5.attacker.example
    String regex = ("\\Q" + p + "\\E").replace("*", "\\E[^.]+\\Q");
    return host.matches(regex);
  }
}
