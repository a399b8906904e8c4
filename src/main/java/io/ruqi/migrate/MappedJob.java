package io.ruqi.migrate;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A job as ruqi will take it: the parameters of {@code job_import} (those of {@code job_add}, plus {@code paused}),
 * and what the report should say about how it carries over.
 */
record MappedJob(JsonObject params, List<String> notes) {

  String id() {
    return params.getString("job_id");
  }
}
