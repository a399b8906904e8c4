package io.ruqi.alert;

import io.ruqi.events.RuqiEvents;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.GuardedRequest;
import io.ruqi.store.HistoryQuery;
import io.ruqi.store.HistoryRow;
import io.ruqi.store.HistoryStore;
import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.store.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends a job's alert webhook (its {@code alert_url}): when a fire finally fails (after its retries), or after
 * {@code alert_after} fires in a row failed, or when a fire is missed, as {@code alert_on} says (default: both).
 * It listens to this node's own events only, so a cluster sends each alert once, from the node that ran the fire.
 */
public final class AlertNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
  private static final Set<String> FAILURES = Set.of("fire_failed", "fire_timeout", "fire_interrupted");
  /** History rows are written in batches: look a moment later, so the fire that just failed is among them. */
  private static final long HISTORY_SETTLE_MS = 300;

  private final Vertx vertx;
  private final JobStore jobs;
  private final HistoryStore history;
  private final WebhookSender sender;
  private MessageConsumer<JsonObject> consumer;

  /** @param policy {@code policy.http_hosts} holds for alert webhooks as for HTTP commands, redirects included */
  public AlertNotifier(Vertx vertx, JobStore jobs, HistoryStore history, WebClient client, CommandPolicy policy) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.history = history;
    this.sender = new WebhookSender(vertx, new GuardedRequest(client, policy));
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().localConsumer(RuqiEvents.ADDRESS, m -> onEvent(m.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onEvent(JsonObject event) {
    String name = event.getString("event", "");
    boolean failure = FAILURES.contains(name) && event.getBoolean("final", true);
    boolean missed = name.equals("fire_missed");
    if (!failure && !missed) {
      return;
    }
    jobs.find(event.getString("job_id")).onSuccess(job -> {
      if (job == null || job.options().getString("alert_url") == null) {
        return;
      }
      JsonArray on = job.options().getJsonArray("alert_on", new JsonArray().add("failure").add("missed"));
      if (missed && on.contains("missed")) {
        send(job, event, "missed", 0);
      } else if (failure && on.contains("failure")) {
        int after = job.options().getInteger("alert_after", 1);
        if (after == 1) {
          send(job, event, "failure", 1);
        } else {
          vertx.setTimer(HISTORY_SETTLE_MS, id -> alertOnStreak(job, event, after));
        }
      }
    });
  }

  /** Alerts once, when the streak of failed fires reaches {@code after}; not again while it goes on. */
  private void alertOnStreak(Job job, JsonObject event, int after) {
    int retries = job.options().getInteger("retries", 0);
    int rows = Math.min(5000, (after + 1) * (retries + 1) + 5);
    Instant fire = fireTimeOf(event);
    history.list(new HistoryQuery(job.id(), null, null, null, 1, rows)).onSuccess(page -> {
      // later fires may already be recorded: the streak is counted up to this event's fire
      List<HistoryRow> upToThisFire = page.items().stream()
          .filter(r -> fire == null || !r.record().fireTime().isAfter(fire)).toList();
      int streak = failedFiresInARow(upToThisFire);
      if (streak == after) {
        send(job, event, "failures", streak);
      }
    });
  }

  /** Distinct fires, newest first, that ended failed until the first that did not; missed and skipped ones pass. */
  static int failedFiresInARow(List<HistoryRow> newestFirst) {
    Set<Instant> fires = new HashSet<>();
    for (HistoryRow row : newestFirst) {
      RunStatus s = row.record().status();
      if (s == RunStatus.SUCCESS) {
        break;
      }
      if (s == RunStatus.FAILED || s == RunStatus.TIMEOUT || s == RunStatus.INTERRUPTED) {
        fires.add(row.record().fireTime());
      }
    }
    return fires.size();
  }

  private static Instant fireTimeOf(JsonObject event) {
    String fireId = event.getString("fire_id");
    try {
      return fireId == null ? null : FireRef.parse(fireId).fireTime();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void send(Job job, JsonObject event, String alert, int consecutive) {
    JsonObject payload = new JsonObject()
        .put("alert", alert)
        .put("job_id", job.id())
        .put("job_name", job.name())
        .put("cmd", job.cmd())
        .put("fire_time", event.getString("fire_time"))
        .put("fire_id", event.getString("fire_id"))
        .put("status", event.getString("status"))
        .put("attempt", event.getInteger("attempt"))
        .put("node", event.getString("node"))
        .put("time", event.getString("time"));
    if (consecutive > 0) {
      payload.put("consecutive_failures", consecutive);
    }
    String url = job.options().getString("alert_url");
    sender.send(url, payload).onFailure(e -> LOG.warn("alert for job {} to {} failed: {}", job.id(), url,
        e.getMessage()));
  }
}
