package io.ruqi.openapi;

import io.ruqi.api.ApiContract;
import io.ruqi.api.Param;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** JSON Schemas (2020-12, as OpenAPI 3.1 has them) of the contract's parameters. */
final class ParamSchemas {
  private ParamSchemas() {
  }

  /** In a query string no value is null: a nullable parameter's null is for JSON bodies only. */
  static JsonObject inQuery(Param p) {
    return of(p, false);
  }

  static JsonObject of(Param p) {
    return of(p, p.nullable());
  }

  private static JsonObject of(Param p, boolean nullable) {
    JsonObject s = switch (p.kind()) {
      case STRING, ID, DATE -> new JsonObject().put("type", "string");
      case INTEGER -> new JsonObject().put("type", "integer");
      case SECONDS -> new JsonObject().put("type", "number");
      case BOOLEAN -> new JsonObject().put("type", "boolean");
      case LIST -> new JsonObject().put("type", "array").put("uniqueItems", true).put("items",
          p.choices().isEmpty() ? new JsonObject().put("type", "string")
              : new JsonObject().put("type", "string").put("enum", new JsonArray(new ArrayList<>(p.choices()))));
      case JOBS -> new JsonObject().put("type", "array")
          .put("items", new JsonObject().put("$ref", "#/components/schemas/ExportedJob"));
    };
    if (p.kind() == Param.Kind.ID) {
      s.put("minLength", 1);
    }
    if (p.maxLength() != null) {
      s.put("maxLength", p.maxLength());
    }
    if (p.min() != null) {
      s.put("minimum", number(p.min()));
    }
    if (p.max() != null && p.max() < Integer.MAX_VALUE) {
      s.put("maximum", number(p.max()));
    }
    if (!p.choices().isEmpty() && p.kind() != Param.Kind.LIST) {
      s.put("enum", new JsonArray(new ArrayList<>(p.choices())));
    }
    if (nullable) {
      s.put("type", new JsonArray().add(s.getString("type")).add("null"));
      if (s.containsKey("enum")) {
        s.getJsonArray("enum").addNull();
      }
    }
    if (p.example() != null) {
      s.put("examples", new JsonArray().add(p.example()));
    }
    return s;
  }

  /** The object of {@code params}, as a JSON body; the required ones are required. */
  static JsonObject object(List<Param> params) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (Param p : params) {
      properties.put(p.name(), of(p).put("description", described(p, true)));
      if (p.required()) {
        required.add(p.name());
      }
    }
    JsonObject s = new JsonObject().put("type", "object").put("properties", properties);
    if (!required.isEmpty()) {
      s.put("required", required);
    }
    return s;
  }

  /**
   * The body /docs fills in for a try: the parameters with an example, but not the job policies and other values
   * a null resets (a try would pin the service's defaults on the job); a list of jobs holds one such job.
   */
  static JsonObject example(List<Param> params) {
    JsonObject out = new JsonObject();
    for (Param p : params) {
      if (p.kind() == Param.Kind.JOBS) {
        out.put(p.name(), new JsonArray().add(example(ApiContract.exportedJob())));
      } else if (p.example() != null && !p.nullable()) {
        out.put(p.name(), p.example());
      }
    }
    return out;
  }

  /** The parameter's own words, and how a JSON null is taken where it is. */
  static String described(Param p, boolean inBody) {
    String kind = p.kind() == Param.Kind.DATE ? " (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)" : "";
    return p.description() + kind + (p.nullable() && inBody ? "; null resets it to the default" : "");
  }

  private static Number number(double d) {
    return d == Math.rint(d) ? (Number) (long) d : (Number) d;
  }
}
