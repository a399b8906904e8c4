package io.ruqi.api;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Typed, checked access to a request's parameters (query merged with body). Query values arrive as strings and
 * JSON values keep their types, so numbers and booleans are accepted in either form; anything else that does not
 * fit is {@code ERR_BAD_PARAMS}, naming the parameter. Unknown parameters are ignored.
 * <p>
 * Only the names that {@link ApiContract} declares for the operation can be read: reading another is a fault of
 * ruqi (an {@link IllegalStateException}, answered ERR_SERVER_EXCEPTION), so a parameter cannot be taken without
 * being described in {@code /openapi.json}.
 */
public final class Params {
  public static final int MAX_ID_LENGTH = 255;

  private final JsonObject values;
  private final String caller;
  private final String op;
  private final Set<String> declared;

  /**
   * @param caller who asked (a token's name, "anonymous", or "eventbus"), for the audit trail
   * @param op     the operation's name as called
   */
  public Params(JsonObject values, String caller, String op) {
    this(values, caller, op, declaredFor(op));
  }

  private Params(JsonObject values, String caller, String op, Set<String> declared) {
    this.values = values == null ? new JsonObject() : values;
    this.caller = caller;
    this.op = op;
    this.declared = declared;
  }

  /** One job of an import: the fields of an exported job. */
  static Params exportedJob(JsonObject values) {
    return new Params(values, "internal", null, ApiContract.EXPORTED_JOB_NAMES);
  }

  /** Other values, read as a request of {@code as}, by the same caller in the operation called. */
  Params as(ApiOp as, JsonObject other) {
    return new Params(other, caller, op, ApiContract.names(as));
  }

  private static Set<String> declaredFor(String op) {
    ApiOp known = op == null ? null : ApiOp.byName(op);
    if (known == null) {
      throw new IllegalArgumentException("no such operation: " + op);
    }
    return ApiContract.names(known);
  }

  private void check(String name) {
    if (!declared.contains(name)) {
      throw new IllegalStateException((op == null ? "an exported job" : op) + " reads the parameter '" + name
          + "', which api/ApiContract does not declare for it");
    }
  }

  public String caller() {
    return caller;
  }

  public String op() {
    return op;
  }

  public JsonObject values() {
    return values;
  }

  public boolean has(String name) {
    check(name);
    return values.containsKey(name);
  }

  /** The value as sent, of whatever type (null when absent). */
  public Object value(String name) {
    check(name);
    return values.getValue(name);
  }

  /** Present with a JSON null: "reset this to its default" where an operation supports it. */
  public boolean isNull(String name) {
    check(name);
    return values.containsKey(name) && values.getValue(name) == null;
  }

  public String requiredString(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null) {
      throw ApiException.badParams("missing parameter: " + name);
    }
    return value;
  }

  public String optionalString(String name, int maxLength) {
    check(name);
    Object v = values.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiException.badParams(name + " must be a string (got " + typeOf(v) + ")");
    }
    if (s.length() > maxLength) {
      throw ApiException.badParams(name + " is longer than " + maxLength + " characters");
    }
    return s;
  }

  /** A non-blank identifier without control characters. */
  public String requiredId(String name) {
    String id = requiredString(name, MAX_ID_LENGTH);
    checkId(name, id);
    return id;
  }

  public String optionalId(String name) {
    String id = optionalString(name, MAX_ID_LENGTH);
    if (id != null) {
      checkId(name, id);
    }
    return id;
  }

  private static void checkId(String name, String id) {
    if (id.isBlank()) {
      throw ApiException.badParams(name + " must not be empty");
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badParams(name + " must not contain control characters");
    }
  }

  public Integer optionalInt(String name, int min, int max) {
    Long value = optionalLong(name);
    if (value == null) {
      return null;
    }
    if (value < min || value > max) {
      throw ApiException.badParams(name + " must be between " + min + " and " + max + " (got " + value + ")");
    }
    return value.intValue();
  }

  public Double optionalSeconds(String name, double min, double max) {
    check(name);
    Object v = values.getValue(name);
    if (v == null) {
      return null;
    }
    double value;
    if (v instanceof Number n) {
      value = n.doubleValue();
    } else if (v instanceof String s && s.strip().matches("\\d{1,12}(\\.\\d{1,6})?")) {
      value = Double.parseDouble(s.strip());
    } else {
      throw ApiException.badParams(name + " must be a number of seconds (got " + describe(v) + ")");
    }
    if (!(value >= min && value <= max)) {
      throw ApiException.badParams(name + " must be between " + fmt(min) + " and " + fmt(max) + " seconds (got "
          + fmt(value) + ")");
    }
    return value;
  }

  public Boolean optionalBool(String name) {
    check(name);
    Object v = values.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      switch (s.strip().toLowerCase()) {
        case "true", "yes", "1" -> {
          return true;
        }
        case "false", "no", "0" -> {
          return false;
        }
        default -> {
        }
      }
    }
    throw ApiException.badParams(name + " must be true or false (got " + describe(v) + ")");
  }

  private Long optionalLong(String name) {
    check(name);
    Object v = values.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
      return n.longValue();
    }
    if (v instanceof String s && s.strip().matches("-?\\d{1,15}")) {
      return Long.parseLong(s.strip());
    }
    throw ApiException.badParams(name + " must be a whole number (got " + describe(v) + ")");
  }

  private static String describe(Object v) {
    return v instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'" : typeOf(v);
  }

  private static String typeOf(Object v) {
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof io.vertx.core.json.JsonArray) {
      return "a list";
    }
    return "a string";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
