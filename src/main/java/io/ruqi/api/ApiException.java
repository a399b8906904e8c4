package io.ruqi.api;

/** A request that is answered with an error: the {@code stat}, the HTTP status that fits it, and a human message. */
public class ApiException extends RuntimeException {
  private final String stat;
  private final int httpStatus;

  public ApiException(String stat, int httpStatus, String message) {
    super(message);
    this.stat = stat;
    this.httpStatus = httpStatus;
  }

  public static ApiException badParams(String message) {
    return new ApiException(Stat.ERR_BAD_PARAMS, 400, message);
  }

  public static ApiException invalid(String message) {
    return new ApiException(Stat.ERR, 400, message);
  }

  public static ApiException noSuchJob(String jobId) {
    return new ApiException(Stat.ERR, 404, "No job by the id of " + jobId + " was found");
  }

  /** RuQi answered a taken job_id with a server exception; it is the caller's error, so ERR with 409. */
  public static ApiException duplicate(String message) {
    return new ApiException(Stat.ERR, 409, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(Stat.ERR_CONFLICT, 409, message);
  }

  public String stat() {
    return stat;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
