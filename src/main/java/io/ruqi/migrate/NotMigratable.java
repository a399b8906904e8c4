package io.ruqi.migrate;

/** A job ruqi cannot take as it is; the message says why, for the report. Nothing is guessed in its place. */
final class NotMigratable extends RuntimeException {
  NotMigratable(String message) {
    super(message, null, false, false);
  }
}
