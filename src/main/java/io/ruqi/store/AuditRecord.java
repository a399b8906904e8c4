package io.ruqi.store;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One audit row; {@code before}/{@code after} are null where there was no job (an add, a remove). */
public record AuditRecord(long id, Instant time, String actor, String operation, String jobId, JsonObject before,
                          JsonObject after, String node) {
}
