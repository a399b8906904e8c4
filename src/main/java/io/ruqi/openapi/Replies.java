package io.ruqi.openapi;

import io.ruqi.api.OpSpec;
import io.ruqi.api.OpSpec.Outcome;
import io.ruqi.api.Stat;
import io.ruqi.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An operation's replies in /openapi.json: OK with its data, or an error, under 200 (RuQi's way) and under each
 * REST status that {@code api.http_status: rest} gives; the Error schema with every {@code stat} code; RuQi's
 * headers.
 */
final class Replies {
  private static final String JSON = "application/json";
  /** Every stat code and what it means; a test checks that no code of {@link Stat} is missing. */
  private static final Map<String, String> STATS = stats();

  private Replies() {
  }

  static JsonObject of(OpSpec spec, Role role) {
    JsonObject ok = new JsonObject().put("type", "object").put("required", new JsonArray().add("stat"))
        .put("properties", new JsonObject().put("stat", new JsonObject().put("const", Stat.OK)));
    if (spec.reply() != null) {
      ok.getJsonObject("properties").put("data", ref(spec.reply()));
    }
    Map<Integer, List<String>> errors = new TreeMap<>();
    add(errors, 400, Stat.ERR_BAD_PARAMS, "a parameter is missing or of the wrong type, or the body is not a JSON"
        + " object");
    add(errors, 401, Stat.ERR_UNAUTHORIZED, "no token, or one that is not accepted");
    add(errors, 403, Stat.ERR_FORBIDDEN, "the token's role is less than " + role.wire() + ", or a web page of"
        + " another site made the call");
    add(errors, 413, Stat.ERR_BAD_PARAMS, "the body is larger than http.body_limit");
    add(errors, 415, Stat.ERR_BAD_PARAMS, "a browser's body that is not application/json");
    for (Outcome o : spec.outcomes()) {
      add(errors, o.status(), o.stat(), o.when());
    }
    add(errors, 500, Stat.ERR_SERVER_EXCEPTION, "a fault of ruqi itself (its log has the details)");
    add(errors, 503, Stat.ERR_STORE_UNAVAILABLE, "the store cannot be reached, or the API is starting or"
        + " stopping; nothing was changed");
    add(errors, 504, Stat.ERR_SERVER_EXCEPTION, "the operation did not answer in time");
    JsonObject responses = new JsonObject().put("200", new JsonObject()
        .put("description", "The reply. With api.http_status: ruqi (the default) an error other than 401, 403,"
            + " 413, 503 and 504 also comes with 200: look at stat.")
        .put("headers", replyHeaders(false))
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", new JsonObject()
            .put("oneOf", new JsonArray().add(ok).add(ref("Error")))))));
    errors.forEach((status, whens) -> responses.put(String.valueOf(status), new JsonObject()
        .put("description", String.join("; ", whens))
        .put("headers", replyHeaders(true))
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", ref("Error"))))));
    return responses;
  }

  private static void add(Map<Integer, List<String>> errors, int status, String stat, String when) {
    errors.computeIfAbsent(status, s -> new ArrayList<>()).add(stat + ": " + when);
  }

  static JsonObject headers() {
    return new JsonObject()
        .put("x-reqid", header("the request's id (RuQi's)"))
        .put("x-cost", header("seconds the request took, with six decimals (RuQi's)"))
        .put("x-reason", header("the error's message, as in msg (RuQi's)"));
  }

  private static JsonObject header(String description) {
    return new JsonObject().put("description", description).put("schema", new JsonObject().put("type", "string"));
  }

  private static JsonObject replyHeaders(boolean error) {
    JsonObject h = new JsonObject()
        .put("x-reqid", new JsonObject().put("$ref", "#/components/headers/x-reqid"))
        .put("x-cost", new JsonObject().put("$ref", "#/components/headers/x-cost"));
    return error ? h.put("x-reason", new JsonObject().put("$ref", "#/components/headers/x-reason")) : h;
  }

  static JsonObject errorSchema() {
    StringBuilder meanings = new StringBuilder();
    JsonArray codes = new JsonArray();
    STATS.forEach((code, meaning) -> {
      if (!code.equals(Stat.OK)) {
        codes.add(code);
      }
      meanings.append("\n- `").append(code).append("`: ").append(meaning);
    });
    return new JsonObject().put("type", "object").put("description", "An answer that is not OK." + meanings)
        .put("required", new JsonArray().add("stat").add("msg"))
        .put("properties", new JsonObject()
            .put("stat", new JsonObject().put("type", "string").put("enum", codes))
            .put("msg", new JsonObject().put("type", "string").put("description", "what is wrong, for a person")));
  }

  private static Map<String, String> stats() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Stat.OK, "done");
    m.put(Stat.ERR_BAD_PARAMS, "a parameter is missing or of the wrong type; the body is not a JSON object, too"
        + " large, or not JSON (REST 400, 413, 415)");
    m.put(Stat.ERR, "a rule, date, time zone or command fails validation (400); no such job (404); the job_id is"
        + " taken, or the scheduler is paused for a job_run (409)");
    m.put(Stat.ERR_CONFLICT, "the version named is no longer current, or an edit lost a race five times (409)");
    m.put(Stat.ERR_NOT_FOUND, "no such route (404)");
    m.put(Stat.ERR_SERVER_EXCEPTION, "a fault of ruqi itself; its log has the details (500)");
    m.put(Stat.ERR_UNAUTHORIZED, "no token, or a wrong one (401, always)");
    m.put(Stat.ERR_FORBIDDEN, "too small a role, or a web page of another site (403, always)");
    m.put(Stat.ERR_STORE_UNAVAILABLE, "the database cannot be reached, or the API is starting or stopping;"
        + " nothing was changed (503, always)");
    return m;
  }

  private static JsonObject ref(String schema) {
    return new JsonObject().put("$ref", "#/components/schemas/" + schema);
  }
}
