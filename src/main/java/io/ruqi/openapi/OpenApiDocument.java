package io.ruqi.openapi;

import io.ruqi.api.ApiContract;
import io.ruqi.api.ApiOp;
import io.ruqi.api.OpSpec;
import io.ruqi.api.Param;
import io.ruqi.api.Stat;
import io.ruqi.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /openapi.json}: the API as OpenAPI 3.1, generated from the table that routes it ({@link ApiOp}) and its
 * contract ({@link ApiContract}): every operation under each of its names, its parameters, the role it needs, its
 * replies and {@code stat} codes; the auth schemes; the event stream. The reply shapes are in
 * {@code openapi/schemas.json} beside it (the tests check real replies against them).
 */
public final class OpenApiDocument {
  static final String OLD_NAMES = "RuQi 2021 names";
  private static final String JSON = "application/json";

  private OpenApiDocument() {
  }

  /**
   * Reads the reply schemas from the classpath (blocking: call it off the event loop).
   *
   * @param tokens      whether the node asks for tokens (auth.tokens); without, every scheme is optional
   * @param metricsOpen whether /metrics answers without a token (auth.metrics_open)
   */
  public static JsonObject build(String version, boolean tokens, boolean metricsOpen) throws IOException {
    JsonObject schemas = replySchemas();
    schemas.put("ExportedJob", ParamSchemas.object(ApiContract.exportedJob())
        .put("description", "a job as job_export gives it and job_import takes it: job_add's parameters, paused"
            + " and state"));
    schemas.put("Error", Replies.errorSchema());
    JsonObject paths = new JsonObject();
    for (ApiOp op : ApiOp.values()) {
      List<String> names = op.names();
      paths.put("/ruqi/" + names.get(0), pathItem(op, names.get(0), false));
      for (String old : names.subList(1, names.size())) {
        paths.put("/ruqi/" + old, pathItem(op, old, true));
      }
    }
    paths.put("/ruqi/events", events(tokens));
    paths.put("/ruqi/output", output(tokens));
    paths.put("/health", probe("health", "The process runs: {\"status\":\"UP\"}; answers whatever Host it is"
        + " called by", false));
    paths.put("/ready", probe("ready", "200 while the scheduler runs and reaches the store, 503 otherwise (for"
        + " load balancers)", true));
    paths.put("/metrics", metrics(tokens && !metricsOpen));
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject()
            .put("title", "ruqi (如期)")
            .put("version", version)
            .put("summary", "a job scheduler that speaks RuQi's API")
            .put("description", DESCRIPTION))
        .put("tags", tags())
        .put("security", security(tokens, false))
        .put("paths", paths)
        .put("components", new JsonObject()
            .put("schemas", schemas)
            .put("headers", Replies.headers())
            .put("securitySchemes", securitySchemes()));
  }

  private static final String DESCRIPTION = String.join("\n",
      "Every operation is `/ruqi/<op>` and answers **any HTTP method**: parameters come from the query string and"
          + " a JSON object body, merged (the body wins); unknown parameters are ignored. This document shows"
          + " reads as GET with query parameters and changes as POST with a JSON body. Every operation also"
          + " answers on the Vert.x event bus at `ruqi.<op>` with the same JSON.",
      "",
      "Replies are `{\"stat\":\"OK\",\"data\":...}` or `{\"stat\":\"ERR...\",\"msg\":\"...\"}`. RuQi's routes answer"
          + " **HTTP 200 whatever the stat** (as RuQi did), except 401, 403, 413, 429, 503 and 504; with"
          + " `api.http_status: rest` errors come with the statuses listed under each operation.",
      "",
      "A token goes in `Authorization: Bearer <token>` (or as the password of HTTP Basic); only the event stream"
          + " also takes `?access_token=`. Roles: `viewer` reads, `operator` also pauses, resumes and runs,"
          + " `admin` does everything. A web browser's call must come from ruqi's own pages and send"
          + " `application/json`.");

  private static JsonObject pathItem(ApiOp op, String name, boolean oldName) {
    OpSpec spec = ApiContract.of(op);
    String primary = op.names().get(0);
    Role role = op.role();
    JsonObject operation = new JsonObject()
        .put("operationId", name)
        .put("tags", new JsonArray().add(oldName ? OLD_NAMES : spec.tag()))
        .put("summary", oldName ? spec.summary() + " (" + primary + ")" : spec.summary())
        .put("description", description(op, spec, role, name))
        .put("x-ruqi-role", role.wire())
        .put("x-ruqi-event-bus-address", ApiOp.address(name));
    if (spec.reads()) {
      JsonArray parameters = new JsonArray();
      for (Param p : spec.params()) {
        JsonObject parameter = new JsonObject().put("name", p.name()).put("in", "query")
            .put("required", p.required()).put("description", ParamSchemas.described(p, false))
            .put("schema", ParamSchemas.inQuery(p));
        if (p.example() != null) {
          parameter.put("example", p.example());
        }
        parameters.add(parameter);
      }
      operation.put("parameters", parameters);
    } else if (!spec.params().isEmpty()) {
      operation.put("requestBody", new JsonObject().put("required", spec.params().stream().anyMatch(Param::required)
              || !spec.legacyForm().isEmpty())
          .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", body(spec))
              .put("example", ParamSchemas.example(spec.params())))));
    }
    operation.put("responses", Replies.of(spec, role));
    return new JsonObject().put(spec.reads() ? "get" : "post", operation);
  }

  private static String description(ApiOp op, OpSpec spec, Role role, String name) {
    List<String> others = new ArrayList<>(op.names());
    others.remove(name);
    StringBuilder text = new StringBuilder(spec.description());
    if (text.length() > 0) {
      text.append("\n\n");
    }
    text.append("Role: **").append(role.wire()).append("**. Event bus: `").append(ApiOp.address(name)).append('`');
    if (!others.isEmpty()) {
      text.append(". Also served as `/ruqi/").append(String.join("`, `/ruqi/", others)).append('`');
    }
    return text.append('.').toString();
  }

  /** The JSON body: its required parameters, or RuQi's first form's. */
  private static JsonObject body(OpSpec spec) {
    JsonObject schema = ParamSchemas.object(spec.params());
    if (!spec.legacyForm().isEmpty()) {
      JsonArray required = schema.getJsonArray("required", new JsonArray());
      schema.remove("required");
      schema.put("anyOf", new JsonArray()
          .add(new JsonObject().put("required", required))
          .add(new JsonObject().put("required", new JsonArray(new ArrayList<>(spec.legacyForm())))));
    }
    return schema;
  }

  private static JsonObject events(boolean tokens) {
    return new JsonObject().put("get", new JsonObject()
        .put("operationId", "events")
        .put("tags", new JsonArray().add("events"))
        .put("summary", "The event stream (server-sent events)")
        .put("description", "Every job change and fire outcome, as it happens, on every node: one `data: <json>`"
            + " line (an Event) per event, and a comment line every 15 s. Try it with `curl -N`: the stream does"
            + " not end. Role: **viewer**. The token may also be given as `?access_token=` (browsers'"
            + " EventSource cannot send headers); the same events are published on the event bus at"
            + " `ruqi.events`.")
        .put("x-ruqi-role", Role.VIEWER.wire())
        .put("security", security(tokens, true))
        .put("responses", new JsonObject()
            .put("200", new JsonObject().put("description", "the stream")
                .put("content", new JsonObject().put("text/event-stream", new JsonObject()
                    .put("schema", new JsonObject().put("type", "string")
                        .put("description", "lines 'data: <Event as JSON>', each followed by an empty line"))
                    .put("x-ruqi-event", ref("Event")))))
            .put("401", errorResponse(Stat.ERR_UNAUTHORIZED + ": no token, or one that is not accepted"))
            .put("403", errorResponse(Stat.ERR_FORBIDDEN + ": a web page of another site"))));
  }

  private static JsonObject output(boolean tokens) {
    return new JsonObject().put("get", new JsonObject()
        .put("operationId", "output")
        .put("tags", new JsonArray().add("history"))
        .put("summary", "A fire's output, live (server-sent events)")
        .put("description", "While the fire runs, on this node or another, each line its process prints is a"
            + " `data: {\"line\": ...}` event (a line carries `lost` when lines were dropped for a slow reader);"
            + " once the fire is over, a `stored` event carries its runs as fire_output gives them, and the stream"
            + " ends. An unknown fire is a `refused` event. Role: that of job_history_list (**viewer**). The token"
            + " may also be given as `?access_token=`, as for /ruqi/events.")
        .put("x-ruqi-role", ApiOp.JOB_HISTORY_LIST.role().wire())
        .put("security", security(tokens, true))
        .put("parameters", new JsonArray().add(new JsonObject().put("name", "fire_id").put("in", "query")
            .put("required", true).put("description", "<job_id>@<fire time in epoch ms>")
            .put("schema", new JsonObject().put("type", "string"))))
        .put("responses", new JsonObject()
            .put("200", new JsonObject().put("description", "the stream")
                .put("content", new JsonObject().put("text/event-stream", new JsonObject()
                    .put("schema", new JsonObject().put("type", "string")
                        .put("description", "lines 'data: <json>' and 'event: stored|refused', each followed by an"
                            + " empty line")))))
            .put("400", errorResponse(Stat.ERR_BAD_PARAMS + ": no fire_id"))
            .put("401", errorResponse(Stat.ERR_UNAUTHORIZED + ": no token, or one that is not accepted"))
            .put("403", errorResponse(Stat.ERR_FORBIDDEN + ": a web page of another site, or too small a role"))
            .put("503", errorResponse(Stat.ERR_SERVER_EXCEPTION + ": too many live views open on this node"))));
  }

  private static JsonObject metrics(boolean tokenNeeded) {
    JsonObject operation = new JsonObject().put("operationId", "metrics").put("tags", new JsonArray().add("operating"))
        .put("summary", "Prometheus metrics (text): ruqi's meters, Vert.x's and the JVM's")
        .put("description", tokenNeeded ? "Role: **viewer** (auth.metrics_open: true opens it)." : "Open.")
        .put("responses", new JsonObject().put("200", new JsonObject().put("description", "the meters")
            .put("content", new JsonObject().put("text/plain", new JsonObject()
                .put("schema", new JsonObject().put("type", "string"))))));
    if (!tokenNeeded) {
      operation.put("security", new JsonArray().add(new JsonObject()));
    }
    return new JsonObject().put("get", operation);
  }

  private static JsonObject probe(String name, String what, boolean mayFail) {
    JsonObject responses = new JsonObject().put("200", new JsonObject().put("description", "up")
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", new JsonObject()
            .put("type", "object").put("properties", new JsonObject()
                .put("status", new JsonObject().put("enum", new JsonArray().add("UP").add("DOWN"))))))));
    if (mayFail) {
      responses.put("503", new JsonObject().put("description", "not ready: {\"status\":\"DOWN\",\"checks\":...}"));
    }
    return new JsonObject().put("get", new JsonObject().put("operationId", name).put("tags", new JsonArray()
        .add("operating")).put("summary", what).put("security", new JsonArray().add(new JsonObject()))
        .put("responses", responses));
  }

  private static JsonObject errorResponse(String description) {
    return new JsonObject().put("description", description)
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", ref("Error"))));
  }

  private static JsonArray security(boolean tokens, boolean urlToken) {
    JsonArray out = new JsonArray();
    if (!tokens) {
      out.add(new JsonObject()); // no tokens configured: the node is open (on loopback)
    }
    out.add(new JsonObject().put("bearer", new JsonArray())).add(new JsonObject().put("basic", new JsonArray()));
    if (urlToken) {
      out.add(new JsonObject().put("access_token", new JsonArray()));
    }
    return out;
  }

  private static JsonObject securitySchemes() {
    return new JsonObject()
        .put("bearer", new JsonObject().put("type", "http").put("scheme", "bearer")
            .put("description", "a token of auth.tokens: Authorization: Bearer <token> (RuQi's 'Bearer: <token>'"
                + " is taken too)"))
        .put("basic", new JsonObject().put("type", "http").put("scheme", "basic")
            .put("description", "the token as the password of HTTP Basic (any user name)"))
        .put("access_token", new JsonObject().put("type", "apiKey").put("in", "query").put("name", "access_token")
            .put("description", "only for /ruqi/events: a token in a URL ends up in logs, so no other route"
                + " reads it"));
  }

  private static JsonArray tags() {
    JsonArray tags = new JsonArray();
    String[][] all = {{"jobs", "add, change, list and run jobs"}, {"history", "what became of each fire"},
        {"transfer", "export and import jobs"}, {"audit", "who changed what"},
        {"calendars", "days (holidays) that jobs skip or run only on"}, {"scheduler", "the scheduler"},
        {"events", "changes and fires as they happen"}, {"operating", "probes for load balancers"},
        {OLD_NAMES, "the same operations under the names of RuQi's 2021 API"}};
    for (String[] t : all) {
      tags.add(new JsonObject().put("name", t[0]).put("description", t[1]));
    }
    return tags;
  }

  private static JsonObject ref(String schema) {
    return new JsonObject().put("$ref", "#/components/schemas/" + schema);
  }

  private static JsonObject replySchemas() throws IOException {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream("openapi/schemas.json")) {
      if (in == null) {
        throw new IOException("openapi/schemas.json is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
