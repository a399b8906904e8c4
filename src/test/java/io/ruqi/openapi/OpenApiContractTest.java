package io.ruqi.openapi;

import io.ruqi.api.ApiContract;
import io.ruqi.api.ApiOp;
import io.ruqi.api.OpSpec;
import io.ruqi.api.Param;
import io.ruqi.api.Stat;
import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.RawHttp;
import io.ruqi.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /openapi.json} of a real node: valid OpenAPI 3.1 by Vert.x's validator (the official 3.1 schema), every
 * name of every operation in it with its role and parameters, every stat code; every declared parameter really
 * read (a wrong type for it is refused, naming it); a call with every parameter answered OK (a reader that read an
 * undeclared name would fail it), and each reply valid against the document.
 */
class OpenApiContractTest {
  static final String JOB = "contract-job";
  static TestNode node;
  static JsonObject doc;

  @BeforeAll
  static void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC"));
    // the calendar the job policies and /docs' examples name
    assertEquals(Stat.OK, node.http.post("/ruqi/calendar_set", new JsonObject().put("calendar", "holidays")
        .put("days", new JsonArray().add("2026-12-25"))).stat());
    // named by a job, so that /docs' example of calendar_delete (which names it) is refused, not done
    assertEquals(Stat.OK, node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "holidays-keeper")
        .put("job_name", "keeper").put("job_trigger", "interval").put("rule", "1h").put("cmd", "echo hi")
        .put("calendar", "holidays")).stat());
    HttpTestClient.Reply reply = node.http.get("/openapi.json");
    assertEquals(200, reply.status(), reply.text());
    assertTrue(reply.header("content-type").startsWith("application/json"), reply.header("content-type"));
    assertNotNull(reply.header("content-security-policy"), "the console's security headers");
    doc = reply.json();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void the_document_is_valid_openapi_3_1() throws ExecutionException {
    assertEquals("3.1.0", doc.getString("openapi"));
    OutputUnit result = validate(doc);
    assertTrue(result.getValid(), "/openapi.json against the OpenAPI 3.1 schema: " + result.getErrors());
    assertNotNull(contract(doc).operation("job_add"), "Vert.x's OpenAPI model reads it too");
  }

  /** The validator is no rubber stamp: it refuses what the 3.1 schema forbids. */
  @Test
  void the_validator_refuses_a_broken_document() throws ExecutionException {
    JsonObject noVersion = doc.copy();
    noVersion.getJsonObject("info").remove("version");
    assertFalse(validate(noVersion).getValid(), "info without its required version");
    JsonObject bodyParameter = doc.copy();
    bodyParameter.getJsonObject("paths").getJsonObject("/ruqi/job_list").getJsonObject("get")
        .getJsonArray("parameters").getJsonObject(0).put("in", "body");
    assertFalse(validate(bodyParameter).getValid(), "a parameter 'in: body' (OpenAPI 2)");
  }

  @Test
  void every_name_of_every_operation_is_a_path_with_its_role_and_parameters() {
    JsonObject paths = doc.getJsonObject("paths");
    Set<String> apiPaths = new HashSet<>();
    paths.fieldNames().stream().filter(p -> p.startsWith("/ruqi/")).forEach(apiPaths::add);
    Set<String> expected = new HashSet<>(Set.of("/ruqi/events", "/ruqi/output"));
    for (ApiOp op : ApiOp.values()) {
      OpSpec spec = ApiContract.of(op);
      for (String name : op.names()) {
        expected.add("/ruqi/" + name);
        JsonObject item = paths.getJsonObject("/ruqi/" + name);
        assertNotNull(item, name + " is missing from /openapi.json");
        assertEquals(1, item.size(), name + ": one method");
        JsonObject operation = item.getJsonObject(spec.reads() ? "get" : "post");
        assertEquals(name, operation.getString("operationId"));
        assertEquals(op.role().wire(), operation.getString("x-ruqi-role"), name);
        assertEquals(names(spec.params()), documentedParameters(operation), name + ": parameters");
      }
    }
    assertEquals(expected, apiPaths, "the API's paths are its operations' names and the event stream");
  }

  /** Like the console's files: no token, but only by one of the node's names, and with its security headers. */
  @Test
  void the_document_and_the_docs_page_are_served_as_the_console_is() throws Exception {
    int port = node.node.port();
    assertEquals(403, RawHttp.request(port, "GET", "/openapi.json", "rebound.attacker.example", null).status());
    assertEquals(403, RawHttp.request(port, "GET", "/docs/", "rebound.attacker.example", null).status());
    HttpTestClient.Reply page = node.http.get("/docs/");
    assertEquals(200, page.status());
    assertTrue(page.text().contains("swagger-ui/swagger-ui-bundle.js") && !page.text().contains("<script>"),
        "Swagger UI from the jar, no inline script: " + page.text());
    assertEquals("DENY", page.header("x-frame-options"));
    assertTrue(page.header("content-security-policy").contains("default-src 'self'"));
    HttpTestClient.Reply bundle = node.http.get("/docs/swagger-ui/swagger-ui-bundle.js");
    assertEquals(200, bundle.status());
    assertTrue(bundle.header("content-type").startsWith("text/javascript"), bundle.header("content-type"));
    assertEquals(404, node.http.get("/docs/swagger-ui/swagger-ui.js.map").status(), "only the files /docs uses");
  }

  @Test
  void every_stat_code_is_described() throws IllegalAccessException {
    JsonArray described = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error")
        .getJsonObject("properties").getJsonObject("stat").getJsonArray("enum");
    for (Field f : Stat.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String code = (String) f.get(null);
        assertTrue(code.equals(Stat.OK) || described.contains(code), code + " is missing from the Error schema");
      }
    }
    assertTrue(doc.getJsonObject("components").getJsonObject("securitySchemes").fieldNames()
        .containsAll(Set.of("bearer", "basic", "access_token")));
  }

  /**
   * Each declared parameter, sent with a value of the wrong type (an object) in an otherwise good request, is
   * refused with a message naming it: it is read, and typed. A parameter declared but never read would be
   * accepted (ignored), and fail this.
   */
  @Test
  void every_declared_parameter_is_read_and_refused_with_a_wrong_type() {
    addJob(JOB + "-typed");
    for (ApiOp op : ApiOp.values()) {
      for (Param p : ApiContract.of(op).params()) {
        JsonObject request = base(op, p.name(), JOB + "-typed").put(p.name(), new JsonObject().put("wrong", true));
        HttpTestClient.Reply reply = node.http.post("/ruqi/" + op.names().get(0), request);
        String msg = reply.json().getString("msg", "");
        assertTrue(Set.of(Stat.ERR_BAD_PARAMS, Stat.ERR).contains(reply.stat()) && msg.contains(p.name()),
            op + " " + p.name() + ": " + reply.text());
      }
    }
    for (Param p : ApiContract.exportedJob()) {
      JsonObject job = exported(JOB + "-imported").put(p.name(), new JsonObject().put("wrong", true));
      HttpTestClient.Reply reply = node.http.post("/ruqi/job_import", new JsonObject()
          .put("jobs", new JsonArray().add(job)));
      assertTrue(reply.json().getString("msg", "").contains(p.name() + " must"), "jobs[]." + p.name() + ": "
          + reply.text());
    }
  }

  /**
   * Every operation called with every parameter it declares: answered OK (a reader that reads a name its
   * contract does not declare fails the call), and the reply is what the document says.
   */
  @Test
  void a_call_with_every_parameter_is_answered_as_described() {
    ResponseValidator validator = ResponseValidator.create(node.vertx, contract(doc));
    Map<ApiOp, Supplier<JsonObject>> calls = fullCalls();
    assertEquals(EnumSet.allOf(ApiOp.class), EnumSet.copyOf(calls.keySet()), "every operation is called here");
    for (Map.Entry<ApiOp, Supplier<JsonObject>> call : calls.entrySet()) {
      ApiOp op = call.getKey();
      JsonObject request = call.getValue().get();
      assertEquals(names(ApiContract.of(op).params()), request.fieldNames(), op + ": every parameter is sent");
      String name = op.names().get(0);
      HttpTestClient.Reply reply = node.http.post("/ruqi/" + name, request);
      assertEquals(Stat.OK, reply.stat(), name + " " + request.encode() + ": " + reply.text());
      answered.put(op, reply.json().getValue("data") instanceof JsonObject data ? data : new JsonObject());
      ValidatableResponse response = ValidatableResponse.create(reply.status(), Buffer.buffer(reply.text()),
          "application/json");
      try {
        get(validator.validate(response, name));
      } catch (ExecutionException e) {
        fail(name + ": the reply is not as /openapi.json describes it: " + e.getCause().getMessage() + "\n"
            + reply.text());
      }
    }
  }

  /**
   * What /docs fills in for a try (each POST's example body, each GET's parameter examples) is taken as it is:
   * a person sees a working call before editing it. Adding, previewing and a dry-run import work as filled in.
   */
  @Test
  void the_examples_docs_fills_in_are_accepted() {
    JsonObject paths = doc.getJsonObject("paths");
    for (ApiOp op : ApiOp.values()) {
      String name = op.names().get(0);
      JsonObject item = paths.getJsonObject("/ruqi/" + name);
      JsonObject request = new JsonObject();
      if (item.containsKey("get")) {
        item.getJsonObject("get").getJsonArray("parameters", new JsonArray()).forEach(p -> {
          JsonObject parameter = (JsonObject) p;
          if (parameter.containsKey("example")) {
            request.put(parameter.getString("name"), parameter.getValue("example"));
          }
        });
      } else if (item.getJsonObject("post").containsKey("requestBody")) {
        request.mergeIn(item.getJsonObject("post").getJsonObject("requestBody").getJsonObject("content")
            .getJsonObject("application/json").getJsonObject("example"));
      }
      HttpTestClient.Reply reply = node.http.post("/ruqi/" + name, request);
      assertFalse(Set.of(Stat.ERR_BAD_PARAMS, Stat.ERR_SERVER_EXCEPTION).contains(reply.stat()),
          name + " " + request.encode() + ": " + reply.text());
      if (Set.of(ApiOp.JOB_ADD, ApiOp.JOB_NEXT_TIMES, ApiOp.JOB_IMPORT, ApiOp.JOB_LIST).contains(op)) {
        assertEquals(Stat.OK, reply.stat(), name + " " + request.encode() + ": " + reply.text());
      }
    }
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  /** In order: each call leaves what the next needs (a job to change, a fire in the history). */
  /** The data of each OK reply of a_call_with_every_parameter..., for the calls after it (job_run's fire id). */
  private final Map<ApiOp, JsonObject> answered = new EnumMap<>(ApiOp.class);

  private Map<ApiOp, Supplier<JsonObject>> fullCalls() {
    Map<ApiOp, Supplier<JsonObject>> calls = new LinkedHashMap<>();
    calls.put(ApiOp.CALENDAR_SET, () -> new JsonObject().put("calendar", "contract-cal")
        .put("days", new JsonArray().add("2026-12-24..2026-12-26").add("--01-01")));
    calls.put(ApiOp.CALENDAR_GET, () -> new JsonObject().put("calendar", "contract-cal"));
    calls.put(ApiOp.CALENDAR_LIST, JsonObject::new);
    calls.put(ApiOp.JOB_ADD, () -> definition(JOB).put("name", "unread-with-job_id").put("trigger", "cron"));
    calls.put(ApiOp.JOB_MODIFY, () -> definition(JOB).put("rule", "2h").put("version", version(JOB)));
    calls.put(ApiOp.JOB_PAUSE, () -> new JsonObject().put("job_id", JOB).put("version", version(JOB)));
    calls.put(ApiOp.JOB_RESUME, () -> new JsonObject().put("job_id", JOB).put("version", version(JOB)));
    calls.put(ApiOp.JOB_SHOW, () -> new JsonObject().put("job_id", JOB));
    calls.put(ApiOp.JOB_LIST, () -> new JsonObject().put("job_id", JOB).put("job_name", "contract")
        .put("page_index", 1).put("page_size", 10));
    calls.put(ApiOp.JOB_NEXT_TIMES, () -> new JsonObject().put("job_trigger", "cron").put("rule", "0 0 3 * * *")
        .put("timezone", "Asia/Shanghai").put("start_date", "2026-12-01").put("end_date", "2027-12-01")
        .put("from", "2026-12-10 00:00:00").put("count", 3).put("calendar", "contract-cal")
        .put("calendar_mode", "only"));
    calls.put(ApiOp.JOB_ADD_BY_LINE, () -> policies(new JsonObject().put("line", "0 20 2 * * * echo line")
        .put("job_id", JOB + "-line").put("job_name", "line").put("timezone", "UTC")
        .put("start_date", "2026-12-01").put("end_date", "2027-12-01")));
    calls.put(ApiOp.JOB_RUN, () -> new JsonObject().put("job_id", JOB));
    calls.put(ApiOp.JOB_HISTORY_LIST, () -> new JsonObject().put("job_id", JOB).put("job_name", "contract")
        .put("is_success", "yes").put("status", "success").put("page_index", 1).put("page_size", 10));
    calls.put(ApiOp.HISTORY_STATS, () -> new JsonObject().put("window", "24h"));
    calls.put(ApiOp.FIRE_OUTPUT, () -> new JsonObject().put("fire_id", answered.get(ApiOp.JOB_RUN)
        .getString("fire_id")));
    calls.put(ApiOp.JOB_HISTORY_CLEAR, () -> new JsonObject().put("days", 30).put("before", "2026-01-01")
        .put("job_id", JOB).put("job_name", "contract"));
    calls.put(ApiOp.JOB_EXPORT, () -> new JsonObject().put("job_id", JOB).put("job_name", "contract")
        .put("page_index", 1).put("page_size", 10));
    calls.put(ApiOp.JOB_IMPORT, () -> new JsonObject().put("jobs", new JsonArray().add(exported(JOB + "-imported")
        .put("paused", true).put("state", "paused"))).put("dry_run", false));
    calls.put(ApiOp.AUDIT_LIST, () -> new JsonObject().put("job_id", JOB).put("actor", "anonymous")
        .put("operation", "job_add").put("page_index", 1).put("page_size", 10));
    calls.put(ApiOp.SCHEDULER_STATUS, JsonObject::new);
    calls.put(ApiOp.SCHEDULER_WAKEUP, JsonObject::new);
    calls.put(ApiOp.SCHEDULER_PAUSE, JsonObject::new);
    calls.put(ApiOp.SCHEDULER_RESUME, JsonObject::new);
    calls.put(ApiOp.JOB_REMOVE, () -> new JsonObject().put("job_id", JOB).put("name", "unread-with-job_id"));
    calls.put(ApiOp.CALENDAR_DELETE, () -> new JsonObject().put("calendar", "contract-cal"));
    return calls;
  }

  /** A good request of {@code op} that reaches the reading of {@code param}. */
  private static JsonObject base(ApiOp op, String param, String job) {
    return switch (op) {
      case JOB_ADD -> switch (param) {
        case "name" -> new JsonObject().put("rule", "0 0 3 * * *").put("cmd", "echo hi");
        case "trigger" -> new JsonObject().put("name", job + "-legacy").put("rule", "0 0 3 * * *")
            .put("cmd", "echo hi");
        default -> definition(job + "-new");
      };
      case JOB_REMOVE -> param.equals("name") ? new JsonObject() : new JsonObject().put("job_id", job);
      case JOB_MODIFY, JOB_PAUSE, JOB_RESUME, JOB_SHOW, JOB_RUN -> new JsonObject().put("job_id", job);
      case JOB_ADD_BY_LINE -> new JsonObject().put("line", "0 0 3 * * * echo line");
      case JOB_NEXT_TIMES -> new JsonObject().put("job_trigger", "cron").put("rule", "0 0 3 * * *");
      case JOB_IMPORT -> new JsonObject().put("jobs", new JsonArray());
      case CALENDAR_SET -> new JsonObject().put("calendar", "typed-cal").put("days", new JsonArray());
      case CALENDAR_GET, CALENDAR_DELETE -> new JsonObject().put("calendar", "holidays");
      default -> new JsonObject();
    };
  }

  private static JsonObject definition(String job) {
    return policies(new JsonObject().put("job_id", job).put("job_name", "contract").put("job_trigger", "interval")
        .put("rule", "1h").put("cmd", "echo hi").put("timezone", "Asia/Shanghai")
        .put("start_date", "2026-11-22 00:00:00").put("end_date", "2027-01-01 00:00:00"));
  }

  private static JsonObject exported(String job) {
    return definition(job).put("paused", false).put("state", "scheduled");
  }

  private static JsonObject policies(JsonObject request) {
    return request.put("misfire_grace_time", 60).put("timeout", 30).put("retry_backoff", 5).put("jitter", 1)
        .put("max_instances", 2).put("retries", 1).put("alert_after", 2).put("alert_url", "http://127.0.0.1:9/alert")
        .put("alert_on", new JsonArray().add("failure")).put("delivery", "at_least_once").put("coalesce", true)
        .put("keep_done", true).put("calendar", "holidays").put("calendar_mode", "skip")
        .put("on_success", new JsonArray()).put("on_failure", new JsonArray())
        .put("run_on", "gpu").putNull("broadcast"); // the two exclude each other
  }

  private static void addJob(String job) {
    HttpTestClient.Reply reply = node.http.post("/ruqi/job_add", definition(job));
    assertEquals(Stat.OK, reply.stat(), reply.text());
  }

  private static long version(String job) {
    return node.http.get("/ruqi/job_show?job_id=" + job).json().getJsonObject("data").getLong("version");
  }

  // ---- the document ------------------------------------------------------------------------------------------

  private static Set<String> documentedParameters(JsonObject operation) {
    Set<String> out = new HashSet<>();
    JsonArray parameters = operation.getJsonArray("parameters");
    if (parameters != null) {
      parameters.forEach(p -> out.add(((JsonObject) p).getString("name")));
    }
    JsonObject body = operation.getJsonObject("requestBody");
    if (body != null) {
      out.addAll(body.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema")
          .getJsonObject("properties").fieldNames());
    }
    return out;
  }

  private static Set<String> names(List<Param> params) {
    Set<String> out = new HashSet<>();
    params.forEach(p -> out.add(p.name()));
    return out;
  }

  /** The document against the official OpenAPI 3.1 schema (and JSON Schema 2020-12 for its schemas). */
  private static OutputUnit validate(JsonObject document) throws ExecutionException {
    OpenAPIVersion v31 = OpenAPIVersion.V3_1;
    SchemaRepository repository = get(v31.getRepository(node.vertx, "https://ruqi.invalid/"));
    return get(v31.validateContract(node.vertx, repository, document.copy()));
  }

  /**
   * Vert.x's model of the document, which validates replies. Its router serves no server-sent events, so it is
   * given the document without the event streams, /ruqi/events and /ruqi/output ({@link #validate} checks them
   * with the rest).
   */
  private static OpenAPIContract contract(JsonObject document) {
    JsonObject withoutStream = document.copy();
    withoutStream.getJsonObject("paths").remove("/ruqi/events");
    withoutStream.getJsonObject("paths").remove("/ruqi/output");
    try {
      return get(OpenAPIContract.from(node.vertx, withoutStream));
    } catch (ExecutionException e) {
      throw new AssertionError("/openapi.json is not valid OpenAPI 3.1: " + e.getCause(), e.getCause());
    }
  }

  private static <T> T get(io.vertx.core.Future<T> future) throws ExecutionException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
