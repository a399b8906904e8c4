package io.ruqi.exec;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link Command.Process} commands as local programs, without a shell, at most {@code concurrency} at a time.
 *
 * <ul>
 *   <li><b>Threads.</b> Each run occupies one thread of the dedicated worker pool {@code ruqi-process} (sized to
 *   {@code concurrency}; further runs wait in its queue) plus one output-pump thread, reused from run to run
 *   ({@link OutputPump}). The event loop is never blocked and the returned future completes on the caller's
 *   context.</li>
 *   <li><b>Program.</b> {@code argv[0]} containing {@code /} is a path relative to the work directory; a bare name is
 *   looked up on {@code PATH}, then in {@code aliases} (e.g. {@code python → python3}). The work directory is the
 *   working directory; stdin is {@code /dev/null}; the environment is a clean one, not the service's (see
 *   {@link ProcessEnvironment}): a few inherited variables such as PATH and HOME, {@code exec.env}, and
 *   {@code RUQI_JOB_ID}, {@code RUQI_JOB_NAME}, {@code RUQI_FIRE_TIME} (ISO-8601 instant), {@code RUQI_FIRE_ID},
 *   {@code RUQI_ATTEMPT}. No other descriptor of the service is open in it.</li>
 *   <li><b>Process group.</b> Each run is the leader of a session, so its pid is the id of a process group holding
 *   everything the command starts: started with {@code posix_spawn} and {@code POSIX_SPAWN_SETSID} where
 *   {@link PosixSpawn} is available (one exec; signals by system call), else through the JDK as
 *   {@code setsid <program>} when {@code setsid} and {@code kill} exist (setsid execs in place: a Java child is never
 *   a group leader; {@code vfork}, see {@link LaunchMechanism}). Ending a run signals that group (TERM, then KILL
 *   after {@code killGrace}), which also reaches grandchildren re-parented to init. With neither, the process and its
 *   current descendants are destroyed instead.</li>
 *   <li><b>Commands leave nothing running behind them.</b> When the main process has exited, its group is ended —
 *   at once if the output reached its end, else after waiting about 1 s for it. Whether anything is left is asked
 *   of the kernel ({@code kill(-pgid, 0)}), or through the JDK of a long-lived shell ({@link GroupProbe}); not read
 *   from {@code /proc} after every run.
 *   A command that wants to leave a daemon behind must detach it itself (its own {@code setsid}, output redirected
 *   away from the inherited pipe).</li>
 *   <li><b>Output.</b> stdout and stderr merged, read while the process runs; the first and the last 2048 bytes are
 *   kept (see {@link HeadTailCapture}), one trailing newline stripped, at most {@link OutputCap#MAX_CHARS}.</li>
 *   <li><b>Timeout</b> ({@link FireContext#timeout()}, counted from the start of the process, not from the queue):
 *   the group is ended, the result has {@code timedOut} and the exit status observed (143 after TERM, 137 after KILL)
 *   and a last output line {@code [ruqi: timed out after 2s; process group ended]}.</li>
 *   <li><b>Results.</b> Success ⇔ exit status 0 and no timeout. A program that cannot start gives
 *   {@code RunResult(false, null, "cannot start <argv0>: <reason>", false)}; the future never fails.</li>
 * </ul>
 */
public final class ProcessRunner implements CommandRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
  private static final String POOL_NAME = "ruqi-process";
  /** Shared worker executors are shared by name: a second runner in the same Vert.x gets a pool of its own. */
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static {
    LaunchMechanism.preferVfork(); // for embedders and tests; too late if this JVM has started a process already
  }

  private final Vertx vertx;
  private final Path workdir;
  private final Duration killGrace;
  private final ProcessEnvironment environment;
  private final ProgramLocator locator;
  /** Whether runs start with {@link PosixSpawn} (one exec, a session of their own, signals by system call). */
  private final boolean posixSpawn;
  /** Else: null when processes cannot be given their own group; see {@link #groupTools}. */
  private final String setsidProgram;
  private final ProcessGroup.Signals groupSignals;
  private final WorkerExecutor pool;
  private final LiveOutput live;
  private final DelayedKills killer = new DelayedKills();
  private final GroupProbe probe = new GroupProbe();
  private final Set<ProcessGroup> running = ConcurrentHashMap.newKeySet();
  private final Set<Future<RunResult>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A runner whose processes inherit only {@link ProcessEnvironment#INHERITED} of this JVM's environment. */
  public ProcessRunner(Vertx vertx, Path workdir, Map<String, String> aliases, int concurrency, Duration killGrace) {
    this(vertx, workdir, aliases, new ProcessEnvironment(System.getenv(), Map.of()), concurrency, killGrace,
        Start.POSIX_SPAWN, LiveOutput.NONE);
  }

  public ProcessRunner(Vertx vertx, Path workdir, Map<String, String> aliases, ProcessEnvironment environment,
                       int concurrency, Duration killGrace) {
    this(vertx, workdir, aliases, environment, concurrency, killGrace, Start.POSIX_SPAWN, LiveOutput.NONE);
  }

  /** @param live where the lines of a run go while it runs, for a live view */
  public ProcessRunner(Vertx vertx, Path workdir, Map<String, String> aliases, ProcessEnvironment environment,
                       int concurrency, Duration killGrace, LiveOutput live) {
    this(vertx, workdir, aliases, environment, concurrency, killGrace, Start.POSIX_SPAWN, live);
  }

  /** How runs are started: the first one this JVM and C library allow, or a fallback forced (tests). */
  enum Start {
    /** {@link PosixSpawn} where available, else {@link #SETSID}, else {@link #PLAIN}. */
    POSIX_SPAWN,
    /** Through the JDK as {@code setsid <program>} where setsid and kill exist, else {@link #PLAIN}. */
    SETSID,
    /** Through the JDK, no group of its own: the process and its current descendants are ended. */
    PLAIN
  }

  /** @param start to force a fallback (tests) */
  ProcessRunner(Vertx vertx, Path workdir, Map<String, String> aliases, int concurrency, Duration killGrace,
                Start start) {
    this(vertx, workdir, aliases, new ProcessEnvironment(System.getenv(), Map.of()), concurrency, killGrace,
        start, LiveOutput.NONE);
  }

  private ProcessRunner(Vertx vertx, Path workdir, Map<String, String> aliases, ProcessEnvironment environment,
                        int concurrency, Duration killGrace, Start start, LiveOutput live) {
    this.live = Objects.requireNonNull(live, "live");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative, got " + killGrace);
    }
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workdir = workdir.toAbsolutePath().normalize();
    this.killGrace = killGrace;
    this.environment = Objects.requireNonNull(environment, "environment");
    // programs are looked up on the PATH their process gets, which exec.env may set
    this.locator = new ProgramLocator(this.workdir, aliases, environment.path());
    this.posixSpawn = start == Start.POSIX_SPAWN && PosixSpawn.available();
    String[] tools = start != Start.PLAIN && !posixSpawn ? groupTools(locator) : null;
    this.setsidProgram = tools == null ? null : tools[0];
    this.groupSignals = posixSpawn ? PosixSpawn.GROUP_SIGNALS
        : tools == null ? null : new ProcessGroup.KillProgram(tools[1], probe);
    if (start == Start.POSIX_SPAWN && !posixSpawn) {
      LOG.info("processes start through the JDK as setsid <program>, not with posix_spawn: {}",
          PosixSpawn.unavailableBecause());
    }
    if (start != Start.PLAIN && !posixSpawn && tools == null) {
      LOG.warn("setsid/kill not available: commands run without their own process group; "
          + "orphaned grandchildren cannot be ended");
    }
    int instance = INSTANCES.incrementAndGet();
    String poolName = instance == 1 ? POOL_NAME : POOL_NAME + "-" + instance;
    // jobs run as long as their timeout says: no blocked-thread warnings for this pool
    this.pool = vertx.createSharedWorkerExecutor(poolName, concurrency, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
  }

  /** {setsid, kill} when both exist, else null. */
  private static String[] groupTools(ProgramLocator locator) {
    String setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid"
        : locator.onPath("setsid").map(Path::toString).orElse(null);
    String kill = Files.isExecutable(Path.of("/usr/bin/kill")) ? "/usr/bin/kill"
        : Files.isExecutable(Path.of("/bin/kill")) ? "/bin/kill"
        : locator.onPath("kill").map(Path::toString).orElse(null);
    return setsid == null || kill == null ? null : new String[] {setsid, kill};
  }

  /**
   * Decides, once for this JVM, how processes start (loads the C library's functions and starts {@code true} once:
   * blocking work). Called first thing in {@code main}, so that a node's start, which may run on an event loop,
   * finds it decided; else the first runner decides it.
   */
  public static void decideHowProcessesStart() {
    PosixSpawn.available();
  }

  /** True when runs get their own process group (posix_spawn, or setsid and kill found). */
  public boolean usesProcessGroups() {
    return groupSignals != null;
  }

  /** True when runs start with posix_spawn rather than through the JDK. */
  boolean usesPosixSpawn() {
    return posixSpawn;
  }

  @Override
  public Future<RunResult> run(Command command, FireContext fire) {
    if (!(command instanceof Command.Process process)) {
      return Future.succeededFuture(RunResult.failed("not a process command: " + command));
    }
    if (closed) {
      return Future.succeededFuture(RunResult.failed("process runner is closed"));
    }
    List<String> argv = List.copyOf(process.argv());
    Future<RunResult> result = pool.<RunResult>executeBlocking(() -> runNow(argv, fire), false)
        .recover(t -> Future.succeededFuture(RunResult.failed("process run failed: " + t)));
    inFlight.add(result);
    result.onComplete(ar -> inFlight.remove(result));
    return result;
  }

  /** On a pool thread. */
  private RunResult runNow(List<String> argv, FireContext fire) throws InterruptedException {
    if (closed) {
      return RunResult.failed("process runner is closed");
    }
    if (argv.isEmpty()) {
      return ProcessRun.cannotStart("\"\"", "empty command");
    }
    String argv0 = argv.get(0);
    ProgramLocator.Located program = locator.locate(argv0);
    if (program.path() == null) {
      return ProcessRun.cannotStart(argv0, program.problem());
    }
    return new ProcessRun(launch(program.path(), argv, fire), argv0, fire.timeout(), killGrace, groups(),
        live.open(fire)).execute();
  }

  private ProcessRun.Launch launch(String program, List<String> argv, FireContext fire) {
    if (posixSpawn) {
      List<String> command = new ArrayList<>(argv.size());
      command.add(program);
      command.addAll(argv.subList(1, argv.size()));
      return () -> PosixSpawn.start(command, workdir, environment.forFire(fire));
    }
    ProcessBuilder builder = jdkLaunch(program, argv, fire);
    return builder::start;
  }

  private ProcessBuilder jdkLaunch(String program, List<String> argv, FireContext fire) {
    List<String> command = new ArrayList<>(argv.size() + 1);
    if (setsidProgram != null) {
      command.add(setsidProgram);
    }
    command.add(program);
    command.addAll(argv.subList(1, argv.size()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workdir.toFile())
        .redirectErrorStream(true);
    File devNull = new File("/dev/null");
    if (devNull.exists()) {
      builder.redirectInput(devNull); // a command reading stdin gets end-of-file, not a wait until its timeout
    }
    Map<String, String> env = builder.environment();
    env.clear(); // the service's environment holds its secrets
    env.putAll(environment.forFire(fire));
    return builder;
  }

  private ProcessRun.Groups groups() {
    return new ProcessRun.Groups() {
      @Override
      public ProcessGroup started(Process process) {
        ProcessGroup group = groupSignals != null
            ? ProcessGroup.session(process, groupSignals, killGrace, killer)
            : ProcessGroup.tree(process, killGrace, killer);
        running.add(group);
        if (closed) {
          try {
            group.end(); // close() may have looked at the running set just before this run registered
          } catch (RuntimeException | Error e) {
            running.remove(group); // the run is abandoned without a group: finished() will not be told
            throw e;
          }
        }
        return group;
      }

      @Override
      public void finished(ProcessGroup group) {
        running.remove(group);
      }
    };
  }

  /**
   * Ends every running process group (TERM, then KILL after the grace period), answers runs still queued with a
   * failed result, and closes the pool once every run has completed. Later {@code run} calls fail at once.
   */
  public Future<Void> close() {
    closed = true;
    Context context = vertx.getOrCreateContext();
    List<Future<RunResult>> pending = new ArrayList<>(inFlight);
    // ending a group signals it and may scan /proc or wait for the probe: not on an event loop
    return context.executeBlocking(() -> {
      running.forEach(ProcessGroup::end);
      return null;
    })
        .transform(ignored -> Future.join(pending))
        .transform(ignored -> pool.close())
        .transform(ignored -> context.executeBlocking(() -> {
          // the processes are not ended until their pending KILLs went out (or their groups died of the TERM)
          killer.finish(killGrace.plusSeconds(1));
          probe.close();
          return null;
        }));
  }
}
