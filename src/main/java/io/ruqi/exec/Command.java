package io.ruqi.exec;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What a job's {@code cmd} asks for, parsed once; see {@link CommandParser} for the grammar. */
public sealed interface Command {

  /** A program run with these arguments, no shell. */
  record Process(List<String> argv) implements Command {
  }

  /**
   * An HTTP(S) request to {@code url}: RuQi's POST of {@code body}, or another method ({@code GET url}); a GET,
   * HEAD or DELETE has no body (null).
   */
  record Http(String method, String url, Object body) implements Command {
    /** RuQi's form: a POST, of {@code {}} when no body is given. */
    public Http(String url, Object body) {
      this("POST", url, body == null ? emptyBody() : body);
    }
  }

  /** A POST of {@code body} to this service's own base URL plus {@code path} (RuQi's {@code /path#data}). */
  record LocalPath(String path, Object body) implements Command {
  }

  /** An event-bus request to {@code address}, anywhere in the cluster. */
  record EventBus(String address, Object body) implements Command {
  }

  /** The body sent when a command has no {@code #json} part. */
  static Object emptyBody() {
    return new JsonObject();
  }
}
