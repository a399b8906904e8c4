package io.ruqi.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Refuses parameters nested deeper than any operation needs (deep nesting only serves to exhaust the stack). */
final class JsonDepth {
  static final int MAX = 16;

  private JsonDepth() {
  }

  static void check(Object value) {
    if (depth(value, 0) > MAX) {
      throw ApiException.badParams("the parameters are nested more than " + MAX + " levels deep");
    }
  }

  private static int depth(Object value, int level) {
    if (level > MAX) {
      return level;
    }
    int deepest = level;
    if (value instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        deepest = Math.max(deepest, depth(o.getValue(key), level + 1));
      }
    } else if (value instanceof JsonArray a) {
      for (Object item : a) {
        deepest = Math.max(deepest, depth(item, level + 1));
      }
    }
    return deepest;
  }
}
