package io.ruqi.store;

import java.time.Instant;

/**
 * One history row.
 *
 * @param startTime      when the run started; null for fires that never ran (missed, skipped)
 * @param endsTheFire    this is the fire's last row (not followed by a retry): its ruqi_running row goes with it
 * @param removesDoneJob this is the last row of a job that will not fire again: the job goes with it, in the same
 *                       transaction, unless it has changed meanwhile ({@link DoneJobs})
 */
public record HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                            String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                            Integer exitCode, boolean endsTheFire, boolean removesDoneJob) {

  public HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                       String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                       Integer exitCode, boolean endsTheFire) {
    this(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt, exitCode,
        endsTheFire, false);
  }

  public boolean success() {
    return status == RunStatus.SUCCESS;
  }

  /** This row, also removing its job if that job is done by the time the row is written. */
  public HistoryRecord removingDoneJob(boolean remove) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, remove);
  }
}
