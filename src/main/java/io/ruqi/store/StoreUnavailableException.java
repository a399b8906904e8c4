package io.ruqi.store;

/** The database could not be reached or answered with an error that is not about the request itself. */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(Throwable cause) {
    super("the job store is unavailable: " + cause.getMessage(), cause);
  }
}
