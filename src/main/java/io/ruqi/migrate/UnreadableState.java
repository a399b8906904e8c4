package io.ruqi.migrate;

/** A job's pickled state that is not an APScheduler 3 job as this reader knows them; the message says why. */
final class UnreadableState extends RuntimeException {
  UnreadableState(String message) {
    super(message, null, false, false);
  }
}
