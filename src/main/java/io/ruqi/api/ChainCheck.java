package io.ruqi.api;

import io.ruqi.store.JobStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A job's chain as {@code job_add} and {@code job_edit} would store it: every job it names must exist, and no path
 * of on_success / on_failure may lead back to the job (a cycle would fire for ever). Refused with a message that
 * names the missing job or the whole path. Reads only; the jobs are walked breadth first, each read once.
 */
final class ChainCheck {
  /** The jobs one branch (on_success, on_failure) may name. */
  static final int MAX_CHILDREN = io.ruqi.store.ChainStarts.MAX_CHILDREN;

  private ChainCheck() {
  }

  /** The jobs {@code options} chains to, on_success first, each once. */
  static List<String> children(JsonObject options) {
    Set<String> out = new LinkedHashSet<>();
    for (String branch : List.of(JobOptionsReader.ON_SUCCESS, JobOptionsReader.ON_FAILURE)) {
      Object ids = options == null ? null : options.getValue(branch);
      if (ids instanceof JsonArray list) {
        list.forEach(id -> out.add(String.valueOf(id)));
      }
    }
    return new ArrayList<>(out);
  }

  /** Fails with ERR (400) when {@code jobId}, with these {@code options}, names a missing job or closes a cycle. */
  static Future<Void> check(JobStore store, String jobId, JsonObject options) {
    return check(stored(store), jobId, options);
  }

  /** The stored jobs' options, by job_id (null: no such job). */
  static Function<String, Future<JsonObject>> stored(JobStore store) {
    return id -> store.find(id).map(job -> job == null ? null : job.options());
  }

  /** As above, with the options of the other jobs read from {@code optionsOf} (an import's, over the store's). */
  static Future<Void> check(Function<String, Future<JsonObject>> optionsOf, String jobId, JsonObject options) {
    List<String> first = children(options);
    if (first.isEmpty()) {
      return Future.succeededFuture();
    }
    if (first.contains(jobId)) {
      return Future.failedFuture(ApiException.invalid("job chain: " + jobId + " would start itself (" + jobId
          + " -> " + jobId + ")"));
    }
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String child : first) {
      cameFrom.put(child, jobId);
      todo.add(child);
    }
    Promise<Void> done = Promise.promise();
    walk(optionsOf, jobId, cameFrom, todo, done);
    return done.future();
  }

  /**
   * Reads the jobs of {@code todo} in turn and queues the jobs they chain to that were not seen yet: a loop while
   * their options are at hand (an import's, read beforehand), and a step per read while they come from the store;
   * either way a long chain never deepens the stack (one promise ends the walk, not a future per step).
   */
  private static void walk(Function<String, Future<JsonObject>> optionsOf, String root,
                           Map<String, String> cameFrom, Deque<String> todo, Promise<Void> done) {
    while (!todo.isEmpty()) {
      String id = todo.poll();
      Future<JsonObject> read = optionsOf.apply(id);
      if (!read.isComplete()) {
        read.onComplete(ar -> {
          if (goOn(id, ar, root, cameFrom, todo, done)) {
            walk(optionsOf, root, cameFrom, todo, done);
          }
        });
        return;
      }
      if (!goOn(id, read, root, cameFrom, todo, done)) {
        return;
      }
    }
    done.complete();
  }

  /** Visits the job read, or ends the walk with why it cannot go on (the read failed, the chain is refused). */
  private static boolean goOn(String id, AsyncResult<JsonObject> read, String root, Map<String, String> cameFrom,
                              Deque<String> todo, Promise<Void> done) {
    ApiException refused = read.failed() ? null : visit(id, read.result(), root, cameFrom, todo);
    if (read.failed() || refused != null) {
      done.fail(read.failed() ? read.cause() : refused);
      return false;
    }
    return true;
  }

  /** One job of the walk, with its options (null: no such job): null to go on, or why the chain is refused. */
  private static ApiException visit(String id, JsonObject options, String root, Map<String, String> cameFrom,
                                    Deque<String> todo) {
    if (options == null) {
      // a job further down the chain that is gone starts nothing: only the job's own children must exist
      return root.equals(cameFrom.get(id))
          ? ApiException.invalid("job chain: no job '" + id + "' (named by " + root + ")") : null;
    }
    for (String next : children(options)) {
      if (next.equals(root)) {
        return ApiException.invalid("job chain: a cycle, " + path(cameFrom, id, root) + " -> " + root);
      }
      if (!cameFrom.containsKey(next)) {
        cameFrom.put(next, id);
        todo.add(next);
      }
    }
    return null;
  }

  /** Jobs of a path named in full; a longer one names its ends and counts the jobs between. */
  private static final int PATH_SHOWN = 12;

  /** {@code root -> ... -> id}, as the walk came. */
  private static String path(Map<String, String> cameFrom, String id, String root) {
    List<String> path = new ArrayList<>();
    for (String at = id; at != null && !at.equals(root); at = cameFrom.get(at)) {
      path.add(at);
    }
    path.add(root);
    Collections.reverse(path);
    if (path.size() > PATH_SHOWN) {
      int end = PATH_SHOWN / 2;
      return String.join(" -> ", path.subList(0, end)) + " -> ... (" + (path.size() - 2 * end) + " jobs) ... -> "
          + String.join(" -> ", path.subList(path.size() - end, path.size()));
    }
    return String.join(" -> ", path);
  }

}
