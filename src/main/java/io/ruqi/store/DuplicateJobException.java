package io.ruqi.store;

public class DuplicateJobException extends RuntimeException {
  public DuplicateJobException(String jobId) {
    super("job_id '" + jobId + "' already exists");
  }
}
