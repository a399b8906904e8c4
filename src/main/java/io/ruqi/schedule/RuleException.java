package io.ruqi.schedule;

/** A rule, date or zone that cannot be used; {@code field} names what was wrong (e.g. {@code rule.second}). */
public class RuleException extends RuntimeException {
  private final String field;

  public RuleException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
