package io.ruqi.schedule;

import io.ruqi.config.JobDefaults;
import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandParser;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.store.Job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each job's {@link CompiledJob} once and keeps it while the job's definition stays the same: every claim
 * bumps a job's version, so the cache is keyed by job id and a hit is checked against the definition it was built
 * from (an edit, or a job removed and added again under its id, builds anew). Bounded, least recently used out;
 * confined to the scheduler's event loop. The API checks a new job with the same builders ({@link #command},
 * {@link Triggers#parse}), so a job that passed its add builds here the same way.
 */
public final class JobCompiler {
  /** Twice a read-ahead's jobs: an entry holds its job's cmd (up to 8 KB), so memory follows the window. */
  private static final int MAX = 4_000;

  private final CommandPolicy policy;
  private final JobDefaults defaults;
  private final Map<String, CompiledJob> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CompiledJob> eldest) {
      return size() > MAX;
    }
  };

  public JobCompiler(CommandPolicy policy, JobDefaults defaults) {
    this.policy = policy;
    this.defaults = defaults;
  }

  /**
   * A cmd as it runs: parsed, and allowed by this node's policy (which may have changed since the job was added).
   *
   * @throws CommandException saying what is wrong with it
   */
  public static Command command(String cmd, CommandPolicy policy) {
    Command command = CommandParser.parse(cmd);
    policy.check(command);
    return command;
  }

  CompiledJob of(Job job) {
    CompiledJob known = cache.get(job.id());
    if (known != null && known.builtFrom(job)) {
      return known;
    }
    CompiledJob built = build(job);
    cache.put(job.id(), built);
    return built;
  }

  private CompiledJob build(Job job) {
    Trigger trigger = null;
    RuntimeException triggerError = null;
    try {
      trigger = Triggers.of(job);
    } catch (RuntimeException e) {
      triggerError = e;
    }
    Command parsed = null;
    CommandException commandError = null;
    try {
      parsed = CommandParser.parse(job.cmd());
      policy.check(parsed);
    } catch (CommandException e) {
      commandError = e;
    } catch (RuntimeException e) {
      // whatever else a check throws fails this job's runs, never the read-ahead of every job after it
      commandError = new CommandException("cannot check the command against this node's policy: " + e);
    }
    // the policies' timeout follows the command's kind; a cmd that does not parse counts as a program
    Command kind = parsed != null ? parsed : new Command.Process(List.of(job.cmd()));
    return new CompiledJob(job, trigger, triggerError, commandError == null ? parsed : null, commandError,
        JobPolicy.of(job.options(), kind, defaults));
  }
}
