package io.ruqi.config;

import io.ruqi.auth.BadTokenException;
import io.ruqi.auth.TokenSpec;
import io.ruqi.auth.Tokens;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated configuration of one node. Built once at start; a bad value fails with the key that holds it.
 *
 * @param nodeName the node's name on history rows; null means "host:port", known once the port is bound
 * @param execEnv variables added to every process's environment (which inherits only PATH, HOME, locale and the like)
 * @param execBaseUrl where {@code /path} commands are posted; null means this node's own HTTP address
 * @param readAhead how far ahead the scheduler reads and claims fires
 * @param pollInterval how often it reads ahead (changes made through this node or the cluster arrive at once)
 * @param lease how long a node's fires stay its own without a renewal; then a peer takes them over
 * @param shutdownGrace how long a stopping node lets its runs finish; the rest are ended and recorded interrupted
 * @param claimAhead how long before a fire is due the scheduler claims it, so that it starts on time
 * @param http the HTTP face's allowed host names and timeouts
 * @param maxPageSize the most rows one list reply carries, also when no page is asked for (bounds its memory)
 * @param exactTotals lists count every matching row for their total, as RuQi did (a second a page at a million)
 * @param historyQueueLimit history rows a node keeps waiting for the store; more are dropped (and counted)
 * @param role a scheduler (the default) or a worker with its labels ({@code node.role}, {@code node.labels})
 */
public record RuqiConfig(
    String httpHost,
    int httpPort,
    int httpBodyLimit,
    String storeUrl,
    int storePoolSize,
    ZoneId timezone,
    String nodeName,
    String execWorkdir,
    Map<String, String> execAliases,
    Map<String, String> execEnv,
    int processConcurrency,
    Duration killGrace,
    String execBaseUrl,
    JobDefaults jobDefaults,
    int historyRetentionDays,
    int historyQueueLimit,
    Duration readAhead,
    Duration pollInterval,
    Duration lease,
    Duration shutdownGrace,
    Duration claimAhead,
    ClusterSettings cluster,
    AuthSettings auth,
    PolicySettings policy,
    HttpSettings http,
    int maxPageSize,
    boolean exactTotals,
    NodeRole role) {

  public static final String DEFAULT_STORE_URL = "sqlite:data/ruqi.db";

  public static RuqiConfig from(JsonObject conf) {
    ConfigReader r = new ConfigReader(conf);
    RuqiConfig config = new RuqiConfig(
        r.string(ConfigKeys.HTTP_HOST, "127.0.0.1"),
        r.integer(ConfigKeys.HTTP_PORT, 8585, 0, 65535),
        r.integer(ConfigKeys.HTTP_BODY_LIMIT, 64 * 1024, 1024, 64 * 1024 * 1024),
        storeUrl(r.string(ConfigKeys.STORE_URL, DEFAULT_STORE_URL)),
        r.integer(ConfigKeys.STORE_POOL_SIZE, 4, 1, 256),
        zone(r.string(ConfigKeys.TIMEZONE, "")),
        blankToNull(r.string(ConfigKeys.NODE_NAME, "")),
        r.string(ConfigKeys.EXEC_WORKDIR, "."),
        r.stringMap(ConfigKeys.EXEC_ALIASES, Map.of("python", "python3")),
        r.environment(ConfigKeys.EXEC_ENV),
        r.integer(ConfigKeys.EXEC_PROCESS_CONCURRENCY, 16, 1, 4096),
        r.seconds(ConfigKeys.EXEC_KILL_GRACE, 5, 0, 3600),
        blankToNull(r.string(ConfigKeys.EXEC_BASE_URL, "")),
        new JobDefaults(
            r.seconds(ConfigKeys.JOBS_MISFIRE_GRACE_TIME, 30, 0, 366 * 86400.0),
            r.bool(ConfigKeys.JOBS_COALESCE, false),
            r.integer(ConfigKeys.JOBS_MAX_INSTANCES, 1, 1, 10_000),
            r.seconds(ConfigKeys.JOBS_TIMEOUT, 3600, 0.001, 30 * 86400.0),
            r.seconds(ConfigKeys.JOBS_HTTP_TIMEOUT, 90, 0.001, 86400),
            r.integer(ConfigKeys.JOBS_RETRIES, 0, 0, 100),
            r.seconds(ConfigKeys.JOBS_RETRY_BACKOFF, 10, 0, 86400),
            r.seconds(ConfigKeys.JOBS_JITTER, 0, 0, 86400),
            delivery(r.string(ConfigKeys.JOBS_DELIVERY, Delivery.AT_MOST_ONCE.wire())),
            r.bool(ConfigKeys.JOBS_KEEP_DONE, false)),
        r.integer(ConfigKeys.HISTORY_RETENTION_DAYS, 180, 0, 100_000),
        r.integer(ConfigKeys.HISTORY_QUEUE_LIMIT, 50_000, 100, 10_000_000),
        r.seconds(ConfigKeys.SCHEDULER_READ_AHEAD, 5, 0.1, 600),
        r.seconds(ConfigKeys.SCHEDULER_POLL_INTERVAL, 1, 0.05, 600),
        r.seconds(ConfigKeys.SCHEDULER_LEASE, 10, 1, 3600),
        r.seconds(ConfigKeys.SCHEDULER_SHUTDOWN_GRACE, 10, 0, 3600),
        r.seconds(ConfigKeys.SCHEDULER_CLAIM_AHEAD, 0.2, 0, 1),
        cluster(r),
        new AuthSettings(r.tokens(ConfigKeys.AUTH_TOKENS), r.bool(ConfigKeys.AUTH_ANONYMOUS, false),
            r.bool(ConfigKeys.AUTH_METRICS_OPEN, false)),
        new PolicySettings(programPatterns(r.stringList(ConfigKeys.POLICY_PROGRAMS, List.of())),
            hostPatterns(r.stringList(ConfigKeys.POLICY_HTTP_HOSTS, List.of()))),
        new HttpSettings(allowedHosts(r.stringList(ConfigKeys.HTTP_ALLOWED_HOSTS, List.of())),
            r.seconds(ConfigKeys.HTTP_IDLE_TIMEOUT, 75, 1, 86400),
            r.seconds(ConfigKeys.HTTP_REQUEST_READ_TIMEOUT, 20, 0.1, 3600),
            statusCodes(r.string(ConfigKeys.API_HTTP_STATUS, StatusCodes.RUQI.wire()))),
        r.integer(ConfigKeys.API_MAX_PAGE_SIZE, 1000, 1, 10_000),
        r.bool(ConfigKeys.API_EXACT_TOTALS, false),
        role(r));
    if (!config.role().worker()) { // a worker serves no API: nothing of it is exposed over HTTP
      config.checkExposure();
    } else if (!config.cluster().enabled()) {
      throw new ConfigException(ConfigKeys.NODE_ROLE, "a worker takes its runs from the cluster: set"
          + " cluster.enabled: true, with the cluster's secret and its schedulers in cluster.members");
    }
    return config;
  }

  private static ClusterSettings cluster(ConfigReader r) {
    boolean enabled = r.bool(ConfigKeys.CLUSTER_ENABLED, false);
    String secret = r.string(ConfigKeys.CLUSTER_SECRET, "");
    if (enabled && secret.isBlank()) {
      throw new ConfigException(ConfigKeys.CLUSTER_SECRET, "a cluster needs a secret that every node shares and"
          + " nobody else knows (a cluster peer can do anything an admin can): set RUQI_CLUSTER_SECRET, e.g. to"
          + " the output of: head -c 32 /dev/urandom | base64");
    }
    if (enabled && secret.length() < ClusterSettings.MIN_SECRET_LENGTH) {
      throw new ConfigException(ConfigKeys.CLUSTER_SECRET, "must be " + ClusterSettings.MIN_SECRET_LENGTH
          + " characters or more (got " + secret.length() + ")");
    }
    return new ClusterSettings(enabled,
        r.string(ConfigKeys.CLUSTER_NAME, "ruqi"),
        r.string(ConfigKeys.CLUSTER_HOST, "127.0.0.1"),
        r.integer(ConfigKeys.CLUSTER_PORT, 5701, 1, 65535),
        r.stringList(ConfigKeys.CLUSTER_MEMBERS, List.of("127.0.0.1")),
        secret);
  }

  /** {@code node.role} and {@code node.labels}: labels are checked on every node, used on workers. */
  private static NodeRole role(ConfigReader r) {
    String role = r.string(ConfigKeys.NODE_ROLE, "scheduler").strip().toLowerCase(Locale.ROOT);
    if (!role.equals("scheduler") && !role.equals("worker")) {
      throw new ConfigException(ConfigKeys.NODE_ROLE, "expected scheduler or worker (got '" + role + "')");
    }
    List<String> labels = r.stringList(ConfigKeys.NODE_LABELS, List.of());
    if (labels.size() > NodeRole.MAX_LABELS) {
      throw new ConfigException(ConfigKeys.NODE_LABELS, "at most " + NodeRole.MAX_LABELS + " labels (got "
          + labels.size() + ")");
    }
    for (String label : labels) {
      if (!NodeRole.LABEL.matcher(label).matches()) {
        throw new ConfigException(ConfigKeys.NODE_LABELS, "a label is 1 to 64 letters, digits, '_', '.' or '-',"
            + " starting with a letter or digit (got '" + label + "')");
      }
    }
    boolean worker = role.equals("worker");
    if (worker && labels.isEmpty()) {
      throw new ConfigException(ConfigKeys.NODE_LABELS, "a worker needs at least one label: jobs choose workers"
          + " by label (run_on, broadcast)");
    }
    return new NodeRole(worker, labels.stream().distinct().toList());
  }

  /** Commands run on this host for whoever reaches the API: beyond loopback, that must be a token holder. */
  private void checkExposure() {
    if (!isLoopback(httpHost) && auth.tokens().isEmpty() && !auth.anonymous()) {
      throw new ConfigException(ConfigKeys.AUTH_TOKENS, "http.host " + httpHost + " is reachable from other"
          + " machines, and anyone who reaches ruqi can run commands on this host: configure auth.tokens, or set"
          + " auth.anonymous: true to accept that");
    }
  }

  public static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
  }

  /** Host names as a Host header carries them: lower case, no port; a port is refused so that it is not mistaken. */
  /** A glob that does not compile would otherwise fail every check of a command against the list, at run time. */
  private static List<String> programPatterns(List<String> patterns) {
    for (String pattern : patterns) {
      try {
        if (pattern.contains("/")) {
          FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.POLICY_PROGRAMS, "'" + pattern + "' is not a valid glob: "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return patterns;
  }

  private static List<String> hostPatterns(List<String> patterns) {
    for (String pattern : patterns) {
      int colon = pattern.lastIndexOf(':');
      String port = colon > 0 ? pattern.substring(colon + 1) : "";
      boolean portOk = !port.matches("\\d+")
          || port.length() <= 5 && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
      if (!portOk) {
        throw new ConfigException(ConfigKeys.POLICY_HTTP_HOSTS, "'" + pattern + "': a port is 1 to 65535");
      }
    }
    return patterns;
  }

  private static List<String> allowedHosts(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String n = name.toLowerCase(Locale.ROOT);
      if (!n.matches("\\*|(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?|\\[[0-9a-f:.]+]")) {
        throw new ConfigException(ConfigKeys.HTTP_ALLOWED_HOSTS, "expected host names such as ruqi.example.com or"
            + " *.example.com, without scheme or port (any port is accepted), or * for any (got '" + name + "')");
      }
      out.add(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    }
    return List.copyOf(out);
  }

  private static String storeUrl(String url) {
    if (url.startsWith("sqlite:") && url.chars().anyMatch(c -> c == '?' || c == '#' || c == ';' || c < ' ')) {
      // the driver would read a '?' as the start of its settings (and drop ruqi's own: WAL, every commit forced)
      throw new ConfigException(ConfigKeys.STORE_URL, "a sqlite: path may not hold '?', '#', ';' or a control"
          + " character (got '" + url.replaceAll("\\p{Cntrl}", "?") + "')");
    }
    if (url.startsWith("sqlite:") && url.length() > "sqlite:".length() || url.startsWith("h2:")
        || url.startsWith("jdbc:h2:") || url.startsWith("mysql://")) {
      return url;
    }
    throw new ConfigException(ConfigKeys.STORE_URL,
        "expected sqlite:<file path> (the embedded default), mysql://user:password@host:port/database, or"
            + " h2:<file path> (the embedded store of earlier releases) (got '" + url + "')");
  }

  private static StatusCodes statusCodes(String name) {
    StatusCodes c = StatusCodes.fromWire(name.strip().toLowerCase(Locale.ROOT));
    if (c == null) {
      throw new ConfigException(ConfigKeys.API_HTTP_STATUS, "expected ruqi (200 with stat, as RuQi answered) or rest"
          + " (400, 404, 409, ...) (got '" + name + "')");
    }
    return c;
  }

  private static Delivery delivery(String name) {
    Delivery d = Delivery.fromWire(name.strip());
    if (d == null) {
      throw new ConfigException(ConfigKeys.JOBS_DELIVERY, "expected at_most_once or at_least_once (got '" + name + "')");
    }
    return d;
  }

  private static ZoneId zone(String id) {
    if (id.isBlank()) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new ConfigException(ConfigKeys.TIMEZONE, "unknown time zone '" + id + "' (use an IANA name such as Asia/Shanghai)");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Typed access to nested keys; values from environment variables arrive as strings and are converted here. */
  private record ConfigReader(JsonObject root) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    Object raw(String key) {
      Object node = root;
      for (String part : key.split("\\.")) {
        if (!(node instanceof JsonObject obj)) {
          return null;
        }
        node = obj.getValue(part);
      }
      return node;
    }

    String string(String key, String dflt) {
      Object v = raw(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      throw new ConfigException(key, "must be a text value (got " + v + ")");
    }

    Duration seconds(String key, double dflt, double min, double max) {
      Object v = raw(key);
      if (v == null) {
        return Duration.ofMillis(Math.round(dflt * 1000));
      }
      double value;
      if (v instanceof Number n) {
        value = n.doubleValue();
      } else if (v instanceof String s && s.trim().matches("\\d{1,9}(\\.\\d{1,3})?")) {
        value = Double.parseDouble(s.trim());
      } else {
        throw new ConfigException(key, "must be a number of seconds (got '" + v + "')");
      }
      if (value < min || value > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + " seconds (got " + value + ")");
      }
      return Duration.ofMillis(Math.round(value * 1000));
    }

    boolean bool(String key, boolean dflt) {
      Object v = raw(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(s);
      }
      throw new ConfigException(key, "must be true or false (got '" + v + "')");
    }

    /**
     * A YAML list of {@code {name, role, token}}, or (from RUQI_AUTH_TOKENS) {@code name:role:token,...}; a token
     * may be given as {@code sha256:<hex>}.
     */
    List<TokenSpec> tokens(String key) {
      Object v = raw(key);
      List<TokenSpec> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (v instanceof String s) {
        int i = 0;
        for (String entry : s.split(",")) {
          if (entry.isBlank()) {
            continue;
          }
          String[] parts = entry.strip().split(":", 3);
          if (parts.length != 3) {
            throw new ConfigException(key, "each entry is name:role:token (got '" + entry.strip().split(":")[0]
                + ":...')");
          }
          out.add(token(key + "[" + i++ + "]", parts[0], parts[1], parts[2]));
        }
      } else if (v instanceof JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
          if (!(array.getValue(i) instanceof JsonObject t)) {
            throw new ConfigException(key + "[" + i + "]", "must be {name, role, token}");
          }
          out.add(token(key + "[" + i + "]", t.getString("name"), t.getString("role"),
              t.getValue("token") == null ? null : String.valueOf(t.getValue("token"))));
        }
      } else {
        throw new ConfigException(key, "must be a list of {name, role, token}");
      }
      return out;
    }

    private static TokenSpec token(String key, String name, String role, String secret) {
      try {
        return Tokens.spec(name, role, secret);
      } catch (BadTokenException e) {
        throw new ConfigException(key + "." + e.field(), e.getMessage());
      }
    }

    /** A YAML list, or (from an environment variable) a comma-separated text. */
    List<String> stringList(String key, List<String> dflt) {
      Object v = raw(key);
      if (v == null) {
        return dflt;
      }
      List<String> out = new ArrayList<>();
      if (v instanceof JsonArray array) {
        array.forEach(item -> out.add(String.valueOf(item).trim()));
      } else if (v instanceof String s) {
        for (String part : s.split(",")) {
          out.add(part.trim());
        }
      } else {
        throw new ConfigException(key, "must be a list (got '" + v + "')");
      }
      out.removeIf(String::isEmpty);
      return List.copyOf(out);
    }

    Map<String, String> stringMap(String key, Map<String, String> dflt) {
      Object v = raw(key);
      if (v == null) {
        return dflt;
      }
      JsonObject obj = map(key, v, "a map of names to names");
      Map<String, String> out = new LinkedHashMap<>();
      for (String name : obj.fieldNames()) {
        if (!(obj.getValue(name) instanceof String target) || target.isBlank()) {
          throw new ConfigException(key + "." + name, "must be a program name");
        }
        out.put(name, target);
      }
      return Map.copyOf(out);
    }

    /**
     * Environment variables for processes: {@code NAME: value}. A service's {@code RUQI_} setting must not reach a
     * job, and the fire's own RUQI_ variables are set per fire, so no name may start with it.
     */
    Map<String, String> environment(String key) {
      Object v = raw(key);
      if (v == null) {
        return Map.of();
      }
      JsonObject obj = map(key, v, "a map of variable names to values");
      Map<String, String> out = new LinkedHashMap<>();
      for (String name : obj.fieldNames()) {
        if (!ENV_NAME.matcher(name).matches()) {
          throw new ConfigException(key, "'" + name + "' is not a variable name (letters, digits and _,"
              + " not starting with a digit)");
        }
        if (name.toUpperCase(java.util.Locale.ROOT).startsWith("RUQI_")) {
          throw new ConfigException(key + "." + name, "names starting with RUQI_ are ruqi's own; choose another");
        }
        Object value = obj.getValue(name);
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
          throw new ConfigException(key + "." + name, "must be a text value, not a list or a map");
        }
        if (value.toString().indexOf('\0') >= 0) {
          throw new ConfigException(key + "." + name, "must not contain a NUL character");
        }
        out.put(name, value.toString());
      }
      return Map.copyOf(out);
    }

    /** A map from a file, or from an environment variable as a JSON object. */
    private static JsonObject map(String key, Object v, String what) {
      if (v instanceof JsonObject obj) {
        return obj;
      }
      if (v instanceof String s && s.strip().startsWith("{")) {
        try {
          return new JsonObject(s.strip());
        } catch (DecodeException e) {
          throw new ConfigException(key, "must be " + what + ", as a JSON object such as {\"NAME\": \"value\"}"
              + " (it is not valid JSON)");
        }
      }
      // the value is not repeated: an environment map may hold a password
      throw new ConfigException(key, "must be " + what
          + ", in a file or as a JSON object such as {\"NAME\": \"value\"}");
    }

    int integer(String key, int dflt, int min, int max) {
      Object v = raw(key);
      if (v == null) {
        return dflt;
      }
      long value;
      if (v instanceof Integer || v instanceof Long) {
        value = ((Number) v).longValue();
      } else if (v instanceof String s && s.trim().matches("-?\\d{1,10}")) {
        value = Long.parseLong(s.trim());
      } else {
        throw new ConfigException(key, "must be a whole number (got '" + v + "')");
      }
      if (value < min || value > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + " (got " + value + ")");
      }
      return (int) value;
    }
  }
}
