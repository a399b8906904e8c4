package io.ruqi.client;

/**
 * The {@code stat} codes ruqi answers (RuQi's, and those ruqi added), as {@link RuqiException#stat()} carries them.
 * The same names as the server's {@code io.ruqi.api.Stat}: {@code ServerContractIT} fails if the two drift.
 */
public final class Stat {
  public static final String OK = "OK";
  /** A rule, date, time zone or command fails validation; no such job; a taken job_id; a paused scheduler. */
  public static final String ERR = "ERR";
  /** A parameter is missing or of the wrong type. */
  public static final String ERR_BAD_PARAMS = "ERR_BAD_PARAMS";
  /** A fault of the service itself (its log has the details). */
  public static final String ERR_SERVER_EXCEPTION = "ERR_SERVER_EXCEPTION";
  /** The {@code version} named is no longer current, or an edit lost a race five times. */
  public static final String ERR_CONFLICT = "ERR_CONFLICT";
  /** No token, or a token the service does not accept (HTTP only). */
  public static final String ERR_UNAUTHORIZED = "ERR_UNAUTHORIZED";
  /** The token's role may not do this (HTTP only). */
  public static final String ERR_FORBIDDEN = "ERR_FORBIDDEN";
  /** No such operation. */
  public static final String ERR_NOT_FOUND = "ERR_NOT_FOUND";
  /** The database cannot be reached, or the API is starting or stopping: nothing was changed, try again. */
  public static final String ERR_STORE_UNAVAILABLE = "ERR_STORE_UNAVAILABLE";

  private Stat() {
  }
}
