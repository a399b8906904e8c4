package io.ruqi.store;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Map;
import java.util.function.IntFunction;

/** Where jobs live. Every method is asynchronous and never blocks the calling event loop. */
public interface JobStore {

  /**
   * Fails with {@link DuplicateJobException} when the id is taken. The audit row (or null) is written in the same
   * transaction: one durable commit instead of two, and no change without its audit row.
   */
  Future<Void> insert(Job job, AuditRecord audit);

  default Future<Void> insert(Job job) {
    return insert(job, null);
  }

  /**
   * Writes {@code job} if the stored version is still {@code job.version()}; true when written (version + 1). The
   * audit row (or null) is written in the same transaction, and only with the change.
   */
  Future<Boolean> update(Job job, AuditRecord audit);

  default Future<Boolean> update(Job job) {
    return update(job, null);
  }

  /** The job, or null. */
  Future<Job> find(String jobId);

  /** True when a job was removed; {@code audit} (or null) is written with the removal, in its transaction. */
  Future<Boolean> delete(String jobId, AuditRecord audit);

  /** True when a job was removed (with no audit row: tests, tools). */
  default Future<Boolean> delete(String jobId) {
    return delete(jobId, null);
  }

  /**
   * Removes every job whose job_name is {@code name} (RuQi 2.0's remove_job), with the audit row {@code audit} makes
   * of how many, in one transaction; answers their ids and names.
   */
  Future<Map<String, String>> deleteByName(String name, IntFunction<AuditRecord> audit);

  /** Newest c_time first. */
  Future<Page<Job>> list(JobQuery query);

  /**
   * Whether this fire of the job was claimed already: it runs now (ruqi_running) or it has a history row (its run
   * ended, or it was judged missed or skipped). Asked before a one-shot is given a date again (an edit, a resume,
   * an import, an add of an id used before), so that a fire that ran is not run again.
   */
  Future<Boolean> fired(String jobId, Instant fireTime);

  /** The earliest next_run_time of any job that is not paused, or null. */
  Future<Instant> earliestNextRunTime();
}
