package io.ruqi.api;

/** RuQi's {@code stat} codes, plus the few ruqi adds where RuQi had no answer at all. */
public final class Stat {
  public static final String OK = "OK";
  /** A rule or command that fails validation, or a job that does not exist (RuQi's meaning). */
  public static final String ERR = "ERR";
  /** A missing or ill-typed parameter, or a body that is not a JSON object. */
  public static final String ERR_BAD_PARAMS = "ERR_BAD_PARAMS";
  /** A fault of the service itself. */
  public static final String ERR_SERVER_EXCEPTION = "ERR_SERVER_EXCEPTION";
  /** ruqi: an edit lost a race with another edit (the version given or read is no longer current). */
  public static final String ERR_CONFLICT = "ERR_CONFLICT";
  /** ruqi: no token, or a token that is not accepted (HTTP 401). */
  public static final String ERR_UNAUTHORIZED = "ERR_UNAUTHORIZED";
  /** ruqi: the token's role may not do this (HTTP 403). */
  public static final String ERR_FORBIDDEN = "ERR_FORBIDDEN";
  /** ruqi: no such API. */
  public static final String ERR_NOT_FOUND = "ERR_NOT_FOUND";
  /** ruqi: the database cannot be reached; the request changed nothing and may be retried. */
  public static final String ERR_STORE_UNAVAILABLE = "ERR_STORE_UNAVAILABLE";

  private Stat() {
  }
}
