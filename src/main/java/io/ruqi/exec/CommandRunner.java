package io.ruqi.exec;

import io.vertx.core.Future;

/**
 * Runs one kind of {@link Command}. Never blocks the calling event loop, never fails the future: every way a
 * command can go wrong (it cannot start, it fails, it times out) is a {@link RunResult}.
 */
public interface CommandRunner {

  Future<RunResult> run(Command command, FireContext fire);
}
