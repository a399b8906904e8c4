package io.ruqi.exec;

import io.vertx.core.Future;

/** Routes each command to the runner of its kind. */
public final class Runners implements CommandRunner {
  private final ProcessRunner process;
  private final HttpRunner http;
  private final EventBusRunner eventBus;

  public Runners(ProcessRunner process, HttpRunner http, EventBusRunner eventBus) {
    this.process = process;
    this.http = http;
    this.eventBus = eventBus;
  }

  @Override
  public Future<RunResult> run(Command command, FireContext fire) {
    if (command instanceof Command.Process) {
      return process.run(command, fire);
    }
    if (command instanceof Command.EventBus) {
      return eventBus.run(command, fire);
    }
    return http.run(command, fire);
  }

  public Future<Void> close() {
    return process.close();
  }
}
