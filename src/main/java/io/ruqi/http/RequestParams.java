package io.ruqi.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.ruqi.api.ApiException;
import io.ruqi.api.Stat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A request's parameters as RuQi read them: the query string (a repeated key becomes a list) merged with a JSON
 * object body, the body winning. {@code curl -d '{...}'} sends its JSON as form data, so a form-typed body that is
 * a JSON object is read as JSON too, and so is text/plain (what a script's {@code fetch} of a string sends).
 * <p>
 * But those are the types a web page's form may send to any site, and {@code text/plain} can carry a JSON object
 * ({@code <input name='{"job_id":"x", "pad":"' value='"}'>}). So a browser's body is acted on only as
 * {@code application/json}, which a page of another site cannot send without a CORS preflight that ruqi never
 * grants. A browser is known by the marks it always adds ({@link CrossSiteGuard#fromBrowser}); curl and RuQi's
 * clients add none, so RuQi's {@code curl -d '{...}'} keeps working. Modern browsers are stopped before this by
 * their Origin and Sec-Fetch-Site headers; this is the wall for a browser that sends Origin but not on forms.
 */
final class RequestParams {
  static final String BAD_ESCAPE = "the URL is not valid URL encoding (a % must be followed by two hex digits:"
      + " write %25 for a literal %)";

  private RequestParams() {
  }

  /** @param query the raw query string, decoded here so that a bad escape is the client's error, not ruqi's */
  static JsonObject of(String query, String contentType, Buffer body, boolean fromBrowser) {
    return of(decodeQuery(query), contentType, body, fromBrowser);
  }

  private static JsonObject of(MultiMap query, String contentType, Buffer body, boolean fromBrowser) {
    JsonObject params = new JsonObject();
    for (String name : query.names()) {
      List<String> values = query.getAll(name);
      params.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    String mediaType = mediaType(contentType);
    boolean empty = body == null || body.length() == 0 || body.toString().isBlank();
    // a multipart body is parsed into form fields before it gets here, so its buffer is empty: check the type
    if (fromBrowser && !isJson(mediaType) && !(empty && mediaType.isEmpty())) {
      throw new ApiException(Stat.ERR_BAD_PARAMS, 415, "a browser must send the parameters as application/json"
          + " (got " + (mediaType.isEmpty() ? "no content type" : mediaType) + "): web pages of other sites can"
          + " send this type to ruqi, so it is not acted on");
    }
    if (empty) {
      return params;
    }
    params.mergeIn(jsonBody(mediaType, body.toString()));
    return params;
  }

  private static MultiMap decodeQuery(String query) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    if (query == null || query.isEmpty()) {
      return out;
    }
    try {
      new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters().forEach(out::add);
    } catch (IllegalArgumentException e) {
      throw ApiException.badParams(BAD_ESCAPE);
    }
    return out;
  }

  /** Every {@code %} is followed by two hex digits (the one thing the path and query decoders throw on). */
  static boolean validEscapes(String text) {
    if (text == null) {
      return true;
    }
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
      if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static JsonObject jsonBody(String mediaType, String text) {
    boolean json = mediaType.isEmpty() || isJson(mediaType) || mediaType.equals("text/plain");
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
