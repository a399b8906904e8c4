package io.ruqi.http;

import io.ruqi.api.ApiException;
import io.ruqi.api.Stat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * A request's parameters as RuQi read them: the query string (a repeated key becomes a list) merged with a JSON
 * object body, the body winning. {@code curl -d '{...}'} sends its JSON as form data, so a form-typed body that is
 * a JSON object is read as JSON too.
 */
final class RequestParams {

  private RequestParams() {
  }

  static JsonObject of(MultiMap query, String contentType, Buffer body) {
    JsonObject params = new JsonObject();
    for (String name : query.names()) {
      List<String> values = query.getAll(name);
      params.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    if (body == null || body.length() == 0 || body.toString().isBlank()) {
      return params;
    }
    params.mergeIn(jsonBody(mediaType(contentType), body.toString()));
    return params;
  }

  private static JsonObject jsonBody(String mediaType, String text) {
    boolean json = mediaType.isEmpty() || mediaType.equals("application/json") || mediaType.endsWith("+json")
        || mediaType.equals("text/plain");
    boolean formWithJson = mediaType.equals("application/x-www-form-urlencoded") && text.strip().startsWith("{");
    if (!json && !formWithJson) {
      throw new ApiException(Stat.ERR_BAD_PARAMS, 415,
          "unsupported content type " + mediaType + ": send the parameters as a JSON object"
              + " (Content-Type: application/json) or in the query string");
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiException.badParams("the request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badParams("the request body must be a JSON object");
    }
    return object;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }
}
