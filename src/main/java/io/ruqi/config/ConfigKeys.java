package io.ruqi.config;

import java.util.List;
import java.util.Locale;

/**
 * Every configuration key ruqi reads, as a dotted path into the YAML file. The list exists so that environment
 * variables can be mapped onto nested keys without guessing where an underscore splits a path.
 */
public final class ConfigKeys {
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_BODY_LIMIT = "http.body_limit";
  public static final String HTTP_ALLOWED_HOSTS = "http.allowed_hosts";
  public static final String HTTP_IDLE_TIMEOUT = "http.idle_timeout";
  public static final String HTTP_REQUEST_READ_TIMEOUT = "http.request_read_timeout";
  public static final String API_MAX_PAGE_SIZE = "api.max_page_size";
  public static final String API_EXACT_TOTALS = "api.exact_totals";
  public static final String API_HTTP_STATUS = "api.http_status";
  public static final String STORE_URL = "store.url";
  public static final String STORE_POOL_SIZE = "store.pool_size";
  public static final String TIMEZONE = "timezone";
  public static final String NODE_NAME = "node.name";
  public static final String NODE_ROLE = "node.role";
  public static final String NODE_LABELS = "node.labels";
  public static final String EXEC_WORKDIR = "exec.workdir";
  public static final String EXEC_ALIASES = "exec.aliases";
  public static final String EXEC_ENV = "exec.env";
  public static final String EXEC_PROCESS_CONCURRENCY = "exec.process_concurrency";
  public static final String EXEC_KILL_GRACE = "exec.kill_grace";
  public static final String EXEC_BASE_URL = "exec.base_url";
  public static final String JOBS_MISFIRE_GRACE_TIME = "jobs.misfire_grace_time";
  public static final String JOBS_COALESCE = "jobs.coalesce";
  public static final String JOBS_MAX_INSTANCES = "jobs.max_instances";
  public static final String JOBS_TIMEOUT = "jobs.timeout";
  public static final String JOBS_HTTP_TIMEOUT = "jobs.http_timeout";
  public static final String JOBS_RETRIES = "jobs.retries";
  public static final String JOBS_RETRY_BACKOFF = "jobs.retry_backoff";
  public static final String JOBS_JITTER = "jobs.jitter";
  public static final String JOBS_DELIVERY = "jobs.delivery";
  public static final String JOBS_KEEP_DONE = "jobs.keep_done";
  public static final String HISTORY_RETENTION_DAYS = "history.retention_days";
  public static final String HISTORY_QUEUE_LIMIT = "history.queue_limit";
  public static final String SCHEDULER_READ_AHEAD = "scheduler.read_ahead";
  public static final String SCHEDULER_POLL_INTERVAL = "scheduler.poll_interval";
  public static final String SCHEDULER_LEASE = "scheduler.lease";
  public static final String SCHEDULER_SHUTDOWN_GRACE = "scheduler.shutdown_grace";
  public static final String SCHEDULER_CLAIM_AHEAD = "scheduler.claim_ahead";
  public static final String CLUSTER_ENABLED = "cluster.enabled";
  public static final String CLUSTER_NAME = "cluster.name";
  public static final String CLUSTER_HOST = "cluster.host";
  public static final String CLUSTER_PORT = "cluster.port";
  public static final String CLUSTER_MEMBERS = "cluster.members";
  public static final String CLUSTER_SECRET = "cluster.secret";
  public static final String AUTH_TOKENS = "auth.tokens";
  public static final String AUTH_ANONYMOUS = "auth.anonymous";
  public static final String AUTH_METRICS_OPEN = "auth.metrics_open";
  public static final String POLICY_PROGRAMS = "policy.programs";
  public static final String POLICY_HTTP_HOSTS = "policy.http_hosts";

  /** The keys an environment variable can set (a map, such as exec.env, as a JSON object). */
  public static final List<String> ALL = List.of(
      HTTP_HOST, HTTP_PORT, HTTP_BODY_LIMIT, STORE_URL, STORE_POOL_SIZE, TIMEZONE, NODE_NAME, EXEC_WORKDIR,
      EXEC_ALIASES, EXEC_ENV,
      EXEC_PROCESS_CONCURRENCY, EXEC_KILL_GRACE, EXEC_BASE_URL, JOBS_MISFIRE_GRACE_TIME, JOBS_COALESCE,
      JOBS_MAX_INSTANCES, JOBS_TIMEOUT, JOBS_HTTP_TIMEOUT, JOBS_RETRIES, JOBS_RETRY_BACKOFF, JOBS_JITTER,
      JOBS_DELIVERY, JOBS_KEEP_DONE, CLUSTER_SECRET,
      HISTORY_RETENTION_DAYS, HISTORY_QUEUE_LIMIT, SCHEDULER_READ_AHEAD, SCHEDULER_POLL_INTERVAL, SCHEDULER_LEASE, SCHEDULER_SHUTDOWN_GRACE, SCHEDULER_CLAIM_AHEAD, CLUSTER_ENABLED,
      CLUSTER_NAME, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS, AUTH_TOKENS, AUTH_ANONYMOUS, AUTH_METRICS_OPEN,
      POLICY_PROGRAMS, POLICY_HTTP_HOSTS, HTTP_ALLOWED_HOSTS, HTTP_IDLE_TIMEOUT, HTTP_REQUEST_READ_TIMEOUT,
      API_MAX_PAGE_SIZE, API_EXACT_TOTALS, API_HTTP_STATUS, NODE_ROLE, NODE_LABELS);

  private ConfigKeys() {
  }

  /** {@code http.port} → {@code RUQI_HTTP_PORT}. */
  public static String envName(String key) {
    return "RUQI_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }
}
