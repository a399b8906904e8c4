package io.ruqi.schedule;

import io.ruqi.store.Job;

/** The trigger of a stored job, rebuilt from its columns. */
public final class JobTriggers {

  private JobTriggers() {
  }

  public static Trigger of(Job job) {
    return Triggers.parse(new TriggerSpec(job.trigger(), job.rule(), job.zone(), job.startDate(), job.endDate()),
        job.anchor());
  }
}
