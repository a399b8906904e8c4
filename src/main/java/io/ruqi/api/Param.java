package io.ruqi.api;

import java.util.List;

/**
 * One parameter of an operation, as {@link ApiContract} declares it: the readers may read only declared names
 * ({@link Params}), and {@code /openapi.json} describes exactly these. Limits given here are the ones the readers
 * check, so the document and the checks cannot say different things.
 *
 * @param nullable a JSON null is accepted (it resets the value to the service's default)
 * @param choices  the values accepted, or empty for any
 * @param example  a value that works, shown by /docs (null for none)
 */
public record Param(String name, Kind kind, boolean required, boolean nullable, String description, Double min,
                    Double max, Integer maxLength, List<String> choices, Object example) {

  /** What a value is; query strings carry every kind as text ("5", "true"). */
  public enum Kind { STRING, ID, DATE, INTEGER, SECONDS, BOOLEAN, LIST, JOBS }

  public static Param of(String name, Kind kind, String description) {
    return new Param(name, kind, false, false, description, null, null, null, List.of(), null);
  }

  static Param string(String name, int maxLength, String description) {
    return of(name, Kind.STRING, description).maxLength(maxLength);
  }

  static Param id(String name, String description) {
    return of(name, Kind.ID, description).maxLength(Params.MAX_ID_LENGTH);
  }

  static Param date(String name, String description) {
    return of(name, Kind.DATE, description).maxLength(40);
  }

  static Param integer(String name, long min, long max, String description) {
    return of(name, Kind.INTEGER, description).range(min, max);
  }

  static Param seconds(String name, double min, double max, String description) {
    return of(name, Kind.SECONDS, description).range(min, max);
  }

  static Param bool(String name, String description) {
    return of(name, Kind.BOOLEAN, description);
  }

  Param mandatory() {
    return new Param(name, kind, true, nullable, description, min, max, maxLength, choices, example);
  }

  Param resettable() {
    return new Param(name, kind, required, true, description, min, max, maxLength, choices, example);
  }

  Param optional() {
    return new Param(name, kind, false, nullable, description, min, max, maxLength, choices, example);
  }

  Param describedAs(String text) {
    return new Param(name, kind, required, nullable, text, min, max, maxLength, choices, example);
  }

  Param maxLength(int length) {
    return new Param(name, kind, required, nullable, description, min, max, length, choices, example);
  }

  Param range(double from, double to) {
    return new Param(name, kind, required, nullable, description, from, to, maxLength, choices, example);
  }

  Param choices(String... values) {
    return new Param(name, kind, required, nullable, description, min, max, maxLength, List.of(values), example);
  }

  Param example(Object value) {
    return new Param(name, kind, required, nullable, description, min, max, maxLength, choices, value);
  }

  int minInt() {
    return (int) Math.max(Integer.MIN_VALUE, min);
  }

  int maxInt() {
    return (int) Math.min(Integer.MAX_VALUE, max);
  }
}
