package io.ruqi.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything one run started, ended together: SIGTERM now, SIGKILL after the grace period. {@link #end()} acts once;
 * later calls (timeout, then clean-up after exit, then {@code close()}) are no-ops.
 */
abstract sealed class ProcessGroup {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);

  protected final Process process;
  protected final Duration grace;
  protected final DelayedKills killer;
  private final AtomicBoolean ended = new AtomicBoolean();

  private ProcessGroup(Process process, Duration grace, DelayedKills killer) {
    this.process = process;
    this.grace = grace;
    this.killer = killer;
  }

  /** How the group of a session leader is asked about and signalled. */
  interface Signals {
    /** Whether any process, even a zombie, is in group {@code pgid}; empty when that cannot be told. */
    Optional<Boolean> exists(long pgid);

    /** TERM (or KILL) to every process of group {@code pgid}: true when one received it; empty when unknown. */
    Optional<Boolean> signal(long pgid, boolean forcibly);
  }

  /**
   * The group of a process started as a session leader ({@code setsid <program>}, or {@link PosixSpawn}): its pid is
   * the group id, and every descendant that did not detach itself is in the group — also after its parent died.
   */
  static ProcessGroup session(Process process, Signals signals, Duration grace, DelayedKills killer) {
    return new Session(process, signals, grace, killer);
  }

  /** Without setsid: the process and the descendants it still has when ended (re-parented orphans are missed). */
  static ProcessGroup tree(Process process, Duration grace, DelayedKills killer) {
    return new Tree(process, grace, killer);
  }

  /** Asks the group to stop now and forces it after the grace period; does nothing after the first call. */
  final void end() {
    if (ended.compareAndSet(false, true)) {
      terminateThenKill();
    }
  }

  final long pid() {
    return process.pid();
  }

  protected abstract void terminateThenKill();

  /** Whether a process of the group is still running (zombies do not count), to skip a pointless wait for KILL. */
  abstract boolean hasLiveMembers();

  private static final class Session extends ProcessGroup {
    private final Signals signals;

    Session(Process process, Signals signals, Duration grace, DelayedKills killer) {
      super(process, grace, killer);
      this.signals = signals;
    }

    @Override
    protected void terminateThenKill() {
      // after a clean exit the group is usually empty: asking first costs less than a signal, and a /proc scan
      // costs more than the spawn of the run itself
      if (!signals.exists(pid()).orElse(true) || !LiveGroupMembers.any(pid()).orElse(true)) {
        return;
      }
      String leaderAtTerm = LiveGroupMembers.startTime(pid()); // before the TERM that may end the leader
      if (signal(false)) {
        // someone was there; whoever ignores or outlives TERM gets KILL, if the id still names this run's group
        killer.schedule(this, grace, () -> {
          if (stillTheRunsGroup(leaderAtTerm, LiveGroupMembers.startTime(pid()))) {
            signal(true);
          }
        });
      }
    }

    @Override
    boolean hasLiveMembers() {
      if (!signals.exists(pid()).orElse(true)) {
        return false; // not even a zombie is left
      }
      // kill -0 also reaches zombies, which nobody may reap for a long time: /proc tells the living apart
      return LiveGroupMembers.any(pid()).orElseGet(process::isAlive);
    }

    private boolean signal(boolean forcibly) {
      Optional<Boolean> reached = signals.signal(pid(), forcibly);
      if (reached.isPresent()) {
        return reached.get();
      }
      // the signal could not be sent: at least reach the processes Java knows about
      Tree.destroy(Tree.snapshot(process), forcibly);
      return true;
    }
  }

  /**
   * Whether group id {@code pgid} still names the run's group when its KILL is due, from the start time of the
   * process with that pid at the TERM and now ("" when there was none, null when /proc could not tell). The kernel
   * hands a number out again only once no process uses it as a pid, a group or a session: while a member of the
   * run's group lives, even as a zombie, no newcomer has that pid. So a newcomer in the leader's pid means the run's
   * group is gone, and a session the newcomer made with that id is someone else's (with pid_max 32,768 and a spawn
   * rate in the thousands per second, a wrap within {@code exec.kill_grace} can happen).
   */
  static boolean stillTheRunsGroup(String leaderAtTerm, String leaderNow) {
    if (leaderAtTerm == null || leaderNow == null || leaderNow.isEmpty()) {
      return true; // cannot tell, or nobody has the pid: what is in the group, if anything, is the run's
    }
    return leaderNow.equals(leaderAtTerm); // the same leader; else a newcomer, and the run's group has emptied
  }

  /** Signals through the {@code kill} program and asks a long-lived shell whether a group exists. */
  static final class KillProgram implements Signals {
    private final String killProgram;
    private final GroupProbe probe;

    KillProgram(String killProgram, GroupProbe probe) {
      this.killProgram = killProgram;
      this.probe = probe;
    }

    @Override
    public Optional<Boolean> exists(long pgid) {
      return probe.exists(pgid);
    }

    /** Runs {@code kill -<signal> -- -<pgid>}; empty when kill did not answer. */
    @Override
    public Optional<Boolean> signal(long pgid, boolean forcibly) {
      try {
        Process kill = new ProcessBuilder(killProgram, forcibly ? "-KILL" : "-TERM", "--", "-" + pgid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (kill.waitFor(5, TimeUnit.SECONDS)) {
          return Optional.of(kill.exitValue() == 0); // 1 = no such process group (already gone)
        }
        kill.destroyForcibly();
      } catch (IOException e) {
        LOG.warn("cannot run {} to signal process group {}: {}", killProgram, pgid, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
  }

  private static final class Tree extends ProcessGroup {
    private volatile List<ProcessHandle> members;

    Tree(Process process, Duration grace, DelayedKills killer) {
      super(process, grace, killer);
    }

    @Override
    protected void terminateThenKill() {
      members = snapshot(process);
      destroy(members, false);
      killer.schedule(this, grace, () -> destroy(members, true));
    }

    @Override
    boolean hasLiveMembers() {
      List<ProcessHandle> known = members;
      return known == null ? process.isAlive() : known.stream().anyMatch(ProcessHandle::isAlive);
    }

    static List<ProcessHandle> snapshot(Process process) {
      ProcessHandle root;
      try {
        root = process.toHandle();
      } catch (IllegalStateException reaped) { // a SpawnedProcess's pid is not its own once reaped
        return List.of();
      }
      return Stream.concat(root.descendants(), Stream.of(root)).collect(Collectors.toList());
    }

    static void destroy(List<ProcessHandle> members, boolean forcibly) {
      for (ProcessHandle h : members) {
        if (h.isAlive()) {
          if (forcibly) {
            h.destroyForcibly();
          } else {
            h.destroy();
          }
        }
      }
    }
  }
}
