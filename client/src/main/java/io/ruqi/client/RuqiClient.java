package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * ruqi's API as typed calls that answer futures, the same over the cluster's event bus and over HTTP. A call that
 * ruqi refuses fails with a {@link RuqiException} (its {@code stat} and message); a call that got no answer fails
 * with Vert.x's own exception.
 *
 * <pre>{@code
 * RuqiClient ruqi = RuqiClient.overEventBus(vertx);              // a member of ruqi's cluster
 * RuqiClient ruqi = RuqiClient.overHttp(vertx, "http://ruqi:8585", token);   // anywhere else
 * ruqi.watch("report", e -> log.info("{} {}", e.event(), e.fireId()))
 *     .compose(w -> ruqi.add(JobSpec.interval("report", "10m", "python3 report.py").name("reports")));
 * }</pre>
 */
public interface RuqiClient {

  /**
   * Calls {@code ruqi.<op>} on {@code vertx}'s event bus, which must be a member of ruqi's cluster (see the README's
   * Java client): a member may call every operation. A member that has just joined sees ruqi's addresses a moment
   * later; until then a call fails with a {@code ReplyException} of {@code NO_HANDLERS}.
   */
  static RuqiClient overEventBus(Vertx vertx) {
    return new TypedClient(new EventBusTransport(vertx));
  }

  /**
   * Calls {@code <baseUrl>/ruqi/<op>} with Vert.x's WebClient.
   *
   * @param baseUrl e.g. {@code http://127.0.0.1:8585}, or the address of the load balancer
   * @param token   sent as {@code Authorization: Bearer}; null for a service without tokens (loopback only)
   */
  static RuqiClient overHttp(Vertx vertx, String baseUrl, String token) {
    return new TypedClient(new HttpTransport(vertx, baseUrl, token));
  }

  /** {@code job_add}: the job as stored, with its first fire. */
  Future<Job> add(JobSpec job);

  /** {@code job_modify}: changes what the spec sets, and only that; answers the job as changed. */
  Future<Job> modify(JobSpec change);

  /** {@code job_remove}. */
  Future<Void> remove(String jobId);

  /** {@code job_pause}: no fire until resumed. */
  Future<Job> pause(String jobId);

  /** {@code job_resume}: the next fire from now, by its rule. */
  Future<Job> resume(String jobId);

  /** {@code job_show}; {@link Stat#ERR} when there is no such job. */
  Future<Job> show(String jobId);

  /** {@code job_list}, newest first: of one {@code job_name} (exact), or of every job when it is null. */
  Future<Page<Job>> list(String jobName, int pageIndex, int pageSize);

  /** {@code job_run}: fires the job now, outside its schedule; watch the fire's id for its outcome. */
  Future<Fire> run(String jobId);

  /** {@code job_history_list}, newest first: one row per fire and attempt, of one job or (null) of every job. */
  Future<Page<HistoryEntry>> history(String jobId, int pageIndex, int pageSize);

  /**
   * Hands {@code handler} every event of the job {@code jobId}: its changes, and each fire as it starts and ends.
   * The future succeeds once the subscription is in place: an event after that is not missed.
   */
  Future<Watch> watch(String jobId, Handler<JobEvent> handler);

  /** As {@link #watch}, for every job and the scheduler's own events. */
  Future<Watch> watchAll(Handler<JobEvent> handler);

  /**
   * Any operation by its API name ({@code job_next_times}, {@code job_export}, {@code scheduler_status}, ...), with
   * its parameters as JSON: answers the whole reply ({@code data} and what else it says) when its stat is OK.
   */
  Future<JsonObject> call(String operation, JsonObject params);

  /** Releases the HTTP connections (nothing over the event bus). */
  Future<Void> close();
}
