package io.ruqi.exec;

/** A {@code cmd} that cannot be run as written. */
public class CommandException extends RuntimeException {
  public CommandException(String message) {
    super(message);
  }
}
