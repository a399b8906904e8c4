package io.ruqi.auth;

/**
 * A configured token that cannot be used. It names the field ({@code name}, {@code role} or {@code token}) rather
 * than a configuration key: auth does not know where its tokens come from, config does (and wraps it).
 */
public final class BadTokenException extends IllegalArgumentException {
  private final String field;

  BadTokenException(String field, String reason) {
    super(reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
