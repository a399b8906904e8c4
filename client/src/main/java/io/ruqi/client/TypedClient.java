package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The typed calls, over either transport: JSON in the API's names out, the answer's data read into records. */
final class TypedClient implements RuqiClient {
  /** An operation's name becomes part of a URL path or an address: nothing else may ride on it. */
  private static final Pattern OPERATION = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final Transport transport;

  TypedClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<Job> add(JobSpec job) {
    return read("job_add", job.toJson(), Job::from);
  }

  @Override
  public Future<Job> modify(JobSpec change) {
    return read("job_modify", change.toJson(), Job::from);
  }

  @Override
  public Future<Void> remove(String jobId) {
    return call("job_remove", byId(jobId)).mapEmpty();
  }

  @Override
  public Future<Job> pause(String jobId) {
    return read("job_pause", byId(jobId), Job::from);
  }

  @Override
  public Future<Job> resume(String jobId) {
    return read("job_resume", byId(jobId), Job::from);
  }

  @Override
  public Future<Job> show(String jobId) {
    return read("job_show", byId(jobId), Job::from);
  }

  @Override
  public Future<Page<Job>> list(String jobName, int pageIndex, int pageSize) {
    JsonObject params = page(pageIndex, pageSize);
    if (jobName != null) {
      params.put("job_name", jobName);
    }
    return read("job_list", params, d -> page(d, Job::from));
  }

  @Override
  public Future<Fire> run(String jobId) {
    return read("job_run", byId(jobId), d ->
        new Fire(d.getString("job_id"), WireTimes.parse(d.getString("fire_time")), d.getString("fire_id")));
  }

  @Override
  public Future<Page<HistoryEntry>> history(String jobId, int pageIndex, int pageSize) {
    JsonObject params = page(pageIndex, pageSize);
    if (jobId != null) {
      params.put("job_id", jobId);
    }
    return read("job_history_list", params, d -> page(d, HistoryEntry::from));
  }

  @Override
  public Future<Watch> watch(String jobId, Handler<JobEvent> handler) {
    return transport.events(json -> {
      JobEvent event;
      try {
        event = JobEvent.from(json);
      } catch (RuntimeException notAnEvent) {
        return;
      }
      if (jobId == null || jobId.equals(event.jobId())) {
        handler.handle(event);
      }
    });
  }

  @Override
  public Future<Watch> watchAll(Handler<JobEvent> handler) {
    return watch(null, handler);
  }

  @Override
  public Future<JsonObject> call(String operation, JsonObject params) {
    if (operation == null || !OPERATION.matcher(operation).matches()) {
      return Future.failedFuture(new IllegalArgumentException("not an operation's name: '" + operation + "'"));
    }
    return transport.call(operation, params == null ? new JsonObject() : params);
  }

  @Override
  public Future<Void> close() {
    return transport.close();
  }

  /** The answer's data, read by {@code reader}; an answer it cannot read fails the call, saying so. */
  private <T> Future<T> read(String operation, JsonObject params, Function<JsonObject, T> reader) {
    return call(operation, params).map(reply -> {
      if (reply.getValue("data") instanceof JsonObject data) {
        try {
          return reader.apply(data);
        } catch (RuntimeException unreadable) {
          throw new IllegalStateException(operation + " answered what this client cannot read (a ruqi of another"
              + " version?): " + unreadable, unreadable);
        }
      }
      throw new IllegalStateException(operation + " answered no data: " + reply.encode());
    });
  }

  private static JsonObject byId(String jobId) {
    return new JsonObject().put("job_id", jobId);
  }

  private static JsonObject page(int pageIndex, int pageSize) {
    return new JsonObject().put("page_index", pageIndex).put("page_size", pageSize);
  }

  private static <T> Page<T> page(JsonObject data, Function<JsonObject, T> item) {
    JsonArray rows = data.getJsonArray("list");
    List<T> items = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      items.add(item.apply(rows.getJsonObject(i)));
    }
    return new Page<>(data.getLong("total"), items, data.getBoolean("truncated", false));
  }
}
