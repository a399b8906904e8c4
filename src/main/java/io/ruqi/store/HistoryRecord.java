package io.ruqi.store;

import java.time.Instant;
import java.util.List;

/**
 * One history row.
 *
 * @param startTime      when the run started; null for fires that never ran (missed, skipped)
 * @param endsTheFire    this is the fire's last row (not followed by a retry): its ruqi_running row goes with it
 * @param removesDoneJob this is the last row of a job that will not fire again: the job goes with it, in the same
 *                       transaction, unless it has changed meanwhile ({@link DoneJobs})
 * @param parentFireId   the fire whose end started this one (a job chain), or null
 * @param chain          the jobs this row starts (its job's on_success or on_failure), in the transaction that
 *                       writes it, as the fire's last row ({@link ChainStarts}); empty for most rows
 * @param worker         the worker node that ran it (a job with {@code run_on} or {@code broadcast}); null when the
 *                       scheduler's node ran it itself, or it did not run
 */
public record HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                            String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                            Integer exitCode, boolean endsTheFire, boolean removesDoneJob, String parentFireId,
                            List<String> chain, String worker) {

  public HistoryRecord {
    chain = chain == null ? List.of() : List.copyOf(chain);
  }

  public HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                       String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                       Integer exitCode, boolean endsTheFire, boolean removesDoneJob) {
    this(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt, exitCode,
        endsTheFire, removesDoneJob, null, List.of(), null);
  }

  /** A row of any shape, as a store or a migration reads it back; the scheduler's rows come from the factories. */
  public HistoryRecord(String jobId, String jobName, String cmd, RunStatus status, String output, double cost,
                       String node, Instant created, Instant fireTime, Instant startTime, int attempt,
                       Integer exitCode, boolean endsTheFire) {
    this(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt, exitCode,
        endsTheFire, false);
  }

  /**
   * A run of {@code fire} that ended with {@code status} at {@code now}; {@code last} when no retry follows (its
   * running row goes with it).
   */
  public static HistoryRecord ran(Job job, Instant fire, int attempt, Instant start, RunStatus status, String output,
                                  double cost, Integer exitCode, String node, Instant now, boolean last) {
    return new HistoryRecord(job.id(), job.name(), job.cmd(), status, output, cost, node, now, fire, start, attempt,
        exitCode, last, false);
  }

  /** A fire that was not run (missed, skipped): no start, no exit code, and no running row to end. */
  public static HistoryRecord notRun(Job job, Instant fire, RunStatus status, String why, String node, Instant now) {
    return new HistoryRecord(job.id(), job.name(), job.cmd(), status, why, 0, node, now, fire, null, 1, null, false,
        false);
  }

  /**
   * A fire ended by a take-over without a run of its own (missed, interrupted); {@code job} is null when the job
   * is gone, and {@code start} when the fire never started.
   */
  public static HistoryRecord endedWithoutRun(String jobId, Job job, Instant fire, RunStatus status, String why,
                                              Instant start, int attempt, String node, Instant now, boolean last) {
    return new HistoryRecord(jobId, job == null ? "" : job.name(), job == null ? "" : job.cmd(), status, why, 0,
        node, now, fire, start, attempt, null, last, false);
  }

  public boolean success() {
    return status == RunStatus.SUCCESS;
  }

  /** This row as the {@code attempt}-th of its fire. */
  public HistoryRecord withAttempt(int attempt) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, removesDoneJob, parentFireId, chain, worker);
  }

  /** This row, also removing its job if that job is done by the time the row is written. */
  public HistoryRecord removingDoneJob(boolean remove) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, remove, parentFireId, chain, worker);
  }

  /** This row of a chained fire, started by the end of {@code parent} (null: none). */
  public HistoryRecord withParent(String parent) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, removesDoneJob, parent, chain, worker);
  }

  /** This row, starting the fires of {@code jobIds} as it is written (only a fire's last row starts any). */
  public HistoryRecord chaining(List<String> jobIds) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, removesDoneJob, parentFireId, endsTheFire ? jobIds : List.of(),
        worker);
  }

  /** This row as run by the worker node {@code worker}. */
  public HistoryRecord onWorker(String worker) {
    return new HistoryRecord(jobId, jobName, cmd, status, output, cost, node, created, fireTime, startTime, attempt,
        exitCode, endsTheFire, removesDoneJob, parentFireId, chain, worker);
  }
}
