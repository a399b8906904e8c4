package io.ruqi.schedule;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.store.Job;

import java.util.Objects;

/**
 * A stored job as the scheduler uses it: its trigger, its command and its effective policies, built once by
 * {@link JobCompiler} instead of on every use (a fire parsed its cmd about five times). A rule or a cmd that no
 * longer builds (a rule stored by an older version, a program this node's policy refuses) is kept as its error, so
 * that the fire fails as it did before: the trigger's error when it is planned, the command's when it runs.
 *
 * @param source what it was built from: a job of the same definition (a later version) reuses it
 * @param policy as the options and the service defaults say, the timeout by the command's kind (a cmd that does
 *               not parse counts as a program, whose timeout is the longer)
 */
record CompiledJob(Job source, Trigger builtTrigger, RuntimeException triggerError, Command builtCommand,
                   CommandException commandError, JobPolicy policy) {

  /** The trigger; throws what building it threw (the fire is then left as it is, and logged). */
  Trigger trigger() {
    if (triggerError != null) {
      throw triggerError;
    }
    return builtTrigger;
  }

  /** The command, ready to run; throws why it cannot run here (a failed run saying so). */
  Command command() {
    if (commandError != null) {
      throw commandError;
    }
    return builtCommand;
  }

  /** Whether {@code job} is defined as the job this was built from: a claim's version bump changes nothing here. */
  boolean builtFrom(Job job) {
    return Objects.equals(source.cmd(), job.cmd()) && Objects.equals(source.rule(), job.rule())
        && Objects.equals(source.trigger(), job.trigger()) && Objects.equals(source.zone(), job.zone())
        && Objects.equals(source.anchor(), job.anchor()) && Objects.equals(source.startDate(), job.startDate())
        && Objects.equals(source.endDate(), job.endDate()) && Objects.equals(source.options(), job.options());
  }
}
