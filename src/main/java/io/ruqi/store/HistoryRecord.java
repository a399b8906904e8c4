package io.ruqi.store;

import java.time.Instant;

/**
 * One history row.
 *
 * @param startTime   when the run started; null for fires that never ran (missed, skipped)
 * @param endsTheFire this is the fire's last row (not followed by a retry): its ruqi_running row goes with it
 */
public record HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                            String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                            Integer exitCode, boolean endsTheFire) {

  public boolean success() {
    return status == RunStatus.SUCCESS;
  }
}
