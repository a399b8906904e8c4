package io.ruqi.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reader reads only what ApiContract declares for its operation, so /openapi.json cannot miss a parameter. */
class ParamsTest {
  @Test
  void a_reader_cannot_read_a_parameter_its_operation_does_not_declare() {
    Params p = new Params(new JsonObject().put("job_id", "x").put("timeout", 5), "alice", "get_job");
    assertEquals("x", p.requiredId("job_id"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.optionalSeconds("timeout", 0, 9));
    assertTrue(e.getMessage().contains("get_job") && e.getMessage().contains("'timeout'"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> p.has("timeout"));
    assertThrows(IllegalStateException.class, () -> p.isNull("timeout"));
    assertThrows(IllegalStateException.class, () -> p.value("timeout"));
    assertThrows(IllegalStateException.class, () -> p.optionalString("cmd", 10));
  }

  @Test
  void values_read_again_as_another_operation_follow_that_operations_contract() {
    Params byLine = new Params(new JsonObject().put("line", "0 0 3 * * * true"), "alice", "job_add_by_line");
    assertThrows(IllegalStateException.class, () -> byLine.optionalString("job_trigger", 16));
    Params asAdd = byLine.as(ApiOp.JOB_ADD, new JsonObject().put("job_trigger", "cron"));
    assertEquals("cron", asAdd.optionalString("job_trigger", 16));
    assertEquals("job_add_by_line", asAdd.op(), "the audit names the operation called");
    assertThrows(IllegalStateException.class, () -> asAdd.optionalString("line", 10));
  }

  @Test
  void an_imported_job_is_read_as_an_exported_job() {
    Params job = Params.exportedJob(new JsonObject().put("paused", true));
    assertEquals(true, job.optionalBool("paused"));
    assertThrows(IllegalStateException.class, () -> job.optionalBool("dry_run"));
  }

  @Test
  void there_are_no_parameters_of_an_operation_that_does_not_exist() {
    assertThrows(IllegalArgumentException.class, () -> new Params(new JsonObject(), "alice", "drop_tables"));
  }
}
