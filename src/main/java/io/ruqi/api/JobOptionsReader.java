package io.ruqi.api;

import io.ruqi.config.Delivery;
import io.ruqi.config.NodeRole;
import io.ruqi.schedule.CalendarRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The optional per-job policies. Only what the caller gave is stored, so a job follows the service's defaults
 * (config) for everything else, including defaults changed later. A JSON null resets a policy to the default.
 */
final class JobOptionsReader {
  static final String MISFIRE_GRACE_TIME = ApiContract.MISFIRE_GRACE_TIME.name();
  static final String COALESCE = ApiContract.COALESCE.name();
  static final String MAX_INSTANCES = ApiContract.MAX_INSTANCES.name();
  static final String TIMEOUT = ApiContract.TIMEOUT.name();
  static final String RETRIES = ApiContract.RETRIES.name();
  static final String RETRY_BACKOFF = ApiContract.RETRY_BACKOFF.name();
  static final String JITTER = ApiContract.JITTER.name();
  static final String ALERT_URL = ApiContract.ALERT_URL.name();
  static final String ALERT_ON = ApiContract.ALERT_ON.name();
  static final String ALERT_AFTER = ApiContract.ALERT_AFTER.name();
  static final String DELIVERY = ApiContract.DELIVERY.name();
  static final String KEEP_DONE = ApiContract.KEEP_DONE.name();
  static final String ON_SUCCESS = ApiContract.ON_SUCCESS.name();
  static final String ON_FAILURE = ApiContract.ON_FAILURE.name();
  static final String RUN_ON = ApiContract.RUN_ON.name();
  static final String BROADCAST = ApiContract.BROADCAST.name();

  private JobOptionsReader() {
  }

  /** Options of {@code base} overwritten by those {@code params} names, within the contract's limits. */
  static JsonObject read(Params params, JsonObject base) {
    JsonObject out = base.copy();
    seconds(params, out, ApiContract.MISFIRE_GRACE_TIME);
    seconds(params, out, ApiContract.TIMEOUT);
    seconds(params, out, ApiContract.RETRY_BACKOFF);
    seconds(params, out, ApiContract.JITTER);
    integer(params, out, ApiContract.MAX_INSTANCES);
    integer(params, out, ApiContract.RETRIES);
    integer(params, out, ApiContract.ALERT_AFTER);
    alertUrl(params, out);
    alertOn(params, out);
    delivery(params, out);
    bool(params, out, COALESCE);
    bool(params, out, KEEP_DONE);
    calendar(params, out);
    jobIds(params, out, ON_SUCCESS);
    jobIds(params, out, ON_FAILURE);
    label(params, out, RUN_ON);
    label(params, out, BROADCAST);
    if (out.containsKey(RUN_ON) && out.containsKey(BROADCAST)) {
      throw ApiException.invalid("run_on and broadcast exclude each other: one worker of a label, or every one");
    }
    return out;
  }

  /**
   * {@code calendar} (a name; whether it exists is checked by the command, which reads the store) and
   * {@code calendar_mode} (skip or only; stored only when given, so that skip stays the default).
   */
  static void calendar(Params params, JsonObject out) {
    String calendar = CalendarRule.CALENDAR;
    if (params.isNull(calendar)) {
      out.remove(calendar);
    } else if (params.has(calendar)) {
      String name = params.optionalString(calendar, ApiContract.CALENDAR.maxLength());
      if (name != null && !name.isBlank()) {
        out.put(calendar, CalendarCommands.checkedName(name.strip(), calendar));
      }
    }
    String mode = CalendarRule.MODE;
    if (params.isNull(mode)) {
      out.remove(mode);
    } else if (params.has(mode)) {
      String m = params.optionalString(mode, ApiContract.CALENDAR_MODE.maxLength());
      if (m != null && !m.isBlank()) {
        String v = m.strip().toLowerCase(Locale.ROOT);
        if (!v.equals(CalendarRule.SKIP) && !v.equals(CalendarRule.ONLY)) {
          throw ApiException.invalid("calendar_mode must be skip or only (got '" + m + "')");
        }
        out.put(mode, v);
      }
    }
  }

  /** A worker label ({@code run_on}, {@code broadcast}): a simple name, as {@code node.labels} are. */
  private static void label(Params params, JsonObject out, String name) {
    if (params.isNull(name)) {
      out.remove(name);
      return;
    }
    String label = params.optionalString(name, 64);
    if (label == null) {
      return;
    }
    if (!NodeRole.LABEL.matcher(label).matches()) {
      throw ApiException.invalid(name + " must be a worker label: 1 to 64 letters, digits, '_', '.' or '-',"
          + " starting with a letter or digit (got '" + label + "')");
    }
    out.put(name, label);
  }

  private static void bool(Params params, JsonObject out, String name) {
    if (params.isNull(name)) {
      out.remove(name);
    } else if (params.has(name)) {
      out.put(name, params.optionalBool(name));
    }
  }

  private static void alertUrl(Params params, JsonObject out) {
    if (params.isNull(ALERT_URL)) {
      out.remove(ALERT_URL);
      return;
    }
    String url = params.optionalString(ALERT_URL, ApiContract.ALERT_URL.maxLength());
    if (url == null) {
      return;
    }
    String lower = url.strip().toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://"))) {
      throw ApiException.invalid("alert_url must be an http:// or https:// URL (got '" + url + "')");
    }
    try {
      if (new URI(url.strip()).getHost() == null) {
        throw ApiException.invalid("alert_url has no host: " + url);
      }
    } catch (URISyntaxException e) {
      throw ApiException.invalid("alert_url is not a valid URL: " + e.getReason());
    }
    out.put(ALERT_URL, url.strip());
  }

  /** {@code at_most_once} or {@code at_least_once}: what a fire whose node died may cost (config/Delivery). */
  private static void delivery(Params params, JsonObject out) {
    if (params.isNull(DELIVERY)) {
      out.remove(DELIVERY);
      return;
    }
    String name = params.optionalString(DELIVERY, ApiContract.DELIVERY.maxLength());
    if (name == null) {
      return;
    }
    Delivery d = Delivery.fromWire(name.strip());
    if (d == null) {
      throw ApiException.invalid("delivery must be at_most_once or at_least_once (got '" + name + "')");
    }
    out.put(DELIVERY, d.wire());
  }

  /** {@code ["failure","missed"]}, or the same as a comma-separated text (query strings). */
  private static void alertOn(Params params, JsonObject out) {
    if (params.isNull(ALERT_ON)) {
      out.remove(ALERT_ON);
      return;
    }
    Object v = params.value(ALERT_ON);
    if (v == null) {
      return;
    }
    List<Object> items = v instanceof JsonArray a ? a.getList()
        : v instanceof String s ? List.of((Object[]) s.split(",")) : null;
    if (items == null) {
      throw ApiException.badParams("alert_on must be a list of failure, missed");
    }
    JsonArray kinds = new JsonArray();
    for (Object item : items) {
      String kind = String.valueOf(item).strip();
      if (!kind.equals("failure") && !kind.equals("missed")) {
        throw ApiException.badParams("alert_on: '" + kind + "' is not one of failure, missed");
      }
      if (!kinds.contains(kind)) {
        kinds.add(kind);
      }
    }
    out.put(ALERT_ON, kinds);
  }

  /**
   * A job chain's branch: a list of job ids (or comma-separated text), each a valid id, repeats dropped, at most
   * {@link ChainCheck#MAX_CHILDREN}; an empty list, like a JSON null, removes the branch. Whether the jobs exist and
   * make no cycle is checked against the store ({@link ChainCheck}).
   */
  private static void jobIds(Params params, JsonObject out, String name) {
    if (params.isNull(name)) {
      out.remove(name);
      return;
    }
    Object v = params.value(name);
    if (v == null) {
      return;
    }
    List<Object> items = v instanceof JsonArray a ? a.getList()
        : v instanceof String s ? (s.isBlank() ? List.of() : List.of((Object[]) s.split(","))) : null;
    if (items == null) {
      throw ApiException.badParams(name + " must be a list of job_ids");
    }
    JsonArray ids = new JsonArray();
    for (Object item : items) {
      if (!(item instanceof String text)) {
        throw ApiException.badParams(name + ": every item must be a job_id, a string");
      }
      String id = text.strip();
      if (id.isEmpty() || id.length() > Params.MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
        throw ApiException.badParams(name + ": '" + id + "' is no job_id (1 to " + Params.MAX_ID_LENGTH
            + " characters, no control characters)");
      }
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    if (ids.size() > ChainCheck.MAX_CHILDREN) {
      throw ApiException.badParams(name + " names " + ids.size() + " jobs; at most " + ChainCheck.MAX_CHILDREN);
    }
    if (ids.isEmpty()) {
      out.remove(name);
    } else {
      out.put(name, ids);
    }
  }

  private static void seconds(Params params, JsonObject out, Param spec) {
    String name = spec.name();
    if (params.isNull(name)) {
      out.remove(name);
    } else if (params.has(name)) {
      double v = params.optionalSeconds(name, spec.min(), spec.max());
      out.put(name, v == Math.rint(v) ? (Object) (long) v : (Object) v);
    }
  }

  private static void integer(Params params, JsonObject out, Param spec) {
    String name = spec.name();
    if (params.isNull(name)) {
      out.remove(name);
    } else if (params.has(name)) {
      out.put(name, params.optionalInt(name, spec.minInt(), spec.maxInt()));
    }
  }
}
