package io.ruqi.schedule;

import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Which jobs a fire's end starts: {@code on_success} after a final success; {@code on_failure} after a final
 * failure, timeout, or a run cut off by its node's stop (interrupted) — an end of a run that ran and did not succeed.
 * A fire that never ran (missed, skipped) starts nothing: there is no outcome to follow. Only a fire's last row
 * starts a chain (a failed attempt that is retried does not), so a chain follows the end after the retries.
 */
final class Chains {
  static final String ON_SUCCESS = "on_success";
  static final String ON_FAILURE = "on_failure";

  private Chains() {
  }

  static List<String> after(Job job, RunStatus status) {
    return switch (status) {
      case SUCCESS -> ids(job, ON_SUCCESS);
      case FAILED, TIMEOUT, INTERRUPTED -> ids(job, ON_FAILURE);
      default -> List.of();
    };
  }

  private static List<String> ids(Job job, String option) {
    Object value = job.options() == null ? null : job.options().getValue(option);
    if (!(value instanceof JsonArray ids) || ids.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add(String.valueOf(id)));
    return out;
  }
}
