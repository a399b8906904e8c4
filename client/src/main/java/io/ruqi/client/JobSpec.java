package io.ruqi.client;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * The parameters of a {@code job_add} or a {@code job_modify}: only what is set is sent, so a modify changes only
 * that, and ruqi checks the rest (a job_add without a name is refused with {@code ERR_BAD_PARAMS}). Policies left
 * unset follow the service's defaults.
 *
 * <pre>{@code
 * JobSpec.cron("nightly", "0 20 2 * * *", "python3 scripts/backup.py").name("rdb").timezone(ZoneId.of("Asia/Shanghai"))
 * JobSpec.of("nightly").cmd("python3 scripts/backup.py --full")     // a modify
 * }</pre>
 */
public final class JobSpec {
  private final JsonObject params = new JsonObject();

  private JobSpec(String jobId) {
    params.put("job_id", jobId);
  }

  /** Only the job's id: for a modify, or to set everything else by hand. */
  public static JobSpec of(String jobId) {
    return new JobSpec(jobId);
  }

  /** Six fields, seconds first: {@code second minute hour day month day_of_week} (0 = Monday). */
  public static JobSpec cron(String jobId, String rule, String cmd) {
    return of(jobId).trigger("cron", rule).cmd(cmd);
  }

  /** Every {@code rule}: {@code 10s}, {@code 5m}, {@code 1h30m}, ... */
  public static JobSpec interval(String jobId, String rule, String cmd) {
    return of(jobId).trigger("interval", rule).cmd(cmd);
  }

  /** Once, at {@code time} in the job's time zone. */
  public static JobSpec at(String jobId, LocalDateTime time, String cmd) {
    return of(jobId).trigger("date", WireTimes.format(time)).cmd(cmd);
  }

  /** Once, now. */
  public static JobSpec now(String jobId, String cmd) {
    return of(jobId).trigger("date", "now").cmd(cmd);
  }

  public JobSpec name(String jobName) {
    return put("job_name", jobName);
  }

  public JobSpec trigger(String type, String rule) {
    return put("job_trigger", type).put("rule", rule);
  }

  /** A program and its arguments (no shell), {@code http(s)://...}, {@code /path} or {@code eventbus:address}. */
  public JobSpec cmd(String cmd) {
    return put("cmd", cmd);
  }

  public JobSpec timezone(ZoneId zone) {
    return put("timezone", zone.getId());
  }

  public JobSpec startDate(LocalDateTime start) {
    return put("start_date", WireTimes.format(start));
  }

  public JobSpec endDate(LocalDateTime end) {
    return put("end_date", WireTimes.format(end));
  }

  public JobSpec misfireGraceTime(Duration grace) {
    return seconds("misfire_grace_time", grace);
  }

  public JobSpec coalesce(boolean coalesce) {
    return put("coalesce", coalesce);
  }

  public JobSpec maxInstances(int max) {
    return put("max_instances", max);
  }

  public JobSpec timeout(Duration timeout) {
    return seconds("timeout", timeout);
  }

  public JobSpec retries(int retries, Duration backoff) {
    return put("retries", retries).seconds("retry_backoff", backoff);
  }

  /** Change the job only if it is still at this version, else {@code ERR_CONFLICT}. */
  public JobSpec version(long version) {
    return put("version", version);
  }

  /**
   * Any other parameter by its API name ({@code jitter}, {@code alert_url}, {@code alert_on}, {@code delivery},
   * {@code keep_done}, ...); a null value resets a policy to the service's default.
   */
  public JobSpec option(String name, Object value) {
    return put(name, value);
  }

  /** The request's parameters, as the API takes them. */
  public JsonObject toJson() {
    return params.copy();
  }

  String jobId() {
    return params.getString("job_id");
  }

  private JobSpec seconds(String name, Duration d) {
    long millis = d.toMillis();
    return put(name, millis % 1000 == 0 ? (Object) (millis / 1000) : (Object) (millis / 1000.0));
  }

  private JobSpec put(String name, Object value) {
    params.put(name, value);
    return this;
  }
}
