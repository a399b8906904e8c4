package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

/**
 * One measured figure of one configuration: {@code row} names the table row (scenario and size), {@code cell} is
 * what the table shows, {@code data} the full numbers for the JSON, {@code met} whether the target for
 * this row (if any) is met.
 */
record Result(String config, String row, String cell, Boolean met, JsonObject data) {
}
