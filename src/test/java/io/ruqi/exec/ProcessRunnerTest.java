package io.ruqi.exec;

import io.ruqi.store.FireRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real processes, real Vert.x. Scripts write their pids to files so the tests can check nothing survives. Runs with
 * posix_spawn, as a node here does; {@link ProcessRunnerSetsidTest} runs the same through the JDK and setsid.
 */
class ProcessRunnerTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private Vertx vertx;
  private ProcessRunner runner;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    runner = new ProcessRunner(vertx, dir, Map.of("ruqi-test-sh", "sh"), 4, Duration.ofSeconds(2), start());
  }

  /** How this class's runner starts processes. */
  ProcessRunner.Start start() {
    return ProcessRunner.Start.POSIX_SPAWN;
  }

  @AfterEach
  void tearDown() throws Exception {
    await(runner.close());
    await(vertx.close());
  }

  @Test
  void echoPrintsHelloAndExitsZero() throws Exception {
    RunResult r = run(runner, LONG, "echo", "hello");
    assertEquals(new RunResult(true, 0, "hello", false), r);
  }

  /** Linux with glibc 2.34 or later, as in CI: a test run that fell back to setsid would measure the wrong thing. */
  @Test
  void processesStartAsThisClassSays() {
    assertEquals(start() == ProcessRunner.Start.POSIX_SPAWN, runner.usesPosixSpawn(), PosixSpawn.unavailableBecause());
    assertTrue(runner.usesProcessGroups());
  }

  /** The service's files and sockets (its database connections among them) are not the command's to hold. */
  @Test
  void aCommandHoldsNoDescriptorButItsInputAndOutput() throws Exception {
    RunResult r = run(runner, LONG, "sh", "-c", "ls /proc/$$/fd");
    assertEquals(new RunResult(true, 0, "0\n1\n2", false), r);
    RunResult input = run(runner, LONG, "sh", "-c", "readlink /proc/$$/fd/0; cat");
    assertEquals(new RunResult(true, 0, "/dev/null", false), input);
  }

  /**
   * Whatever the thread that starts it blocks, a command can be stopped by its signals. posix_spawn starts it with
   * none blocked; through the JDK it inherits the JVM thread's mask, which blocks QUIT.
   */
  @Test
  void aCommandStartsWithNoSignalBlocked() throws Exception {
    RunResult r = run(runner, LONG, "grep", "^SigBlk", "/proc/self/status");
    assertTrue(r.success() && r.output().startsWith("SigBlk:\t"), r::toString);
    long blocked = Long.parseLong(r.output().substring("SigBlk:\t".length()), 16);
    long termIntHup = (1L << (15 - 1)) | (1L << (2 - 1)) | (1L << (1 - 1));
    assertEquals(0, blocked & termIntHup, r.output());
    if (start() == ProcessRunner.Start.POSIX_SPAWN) {
      assertEquals(0, blocked, r.output());
    }
  }

  /** A C string ends at its first NUL: the command is refused rather than run cut short. */
  @Test
  void anArgumentWithANulCharacterIsRefused() throws Exception {
    RunResult r = run(runner, LONG, "echo", "run\u0000rm -rf x");
    assertEquals(new RunResult(false, null, "cannot start echo: invalid null character in command", false), r);
  }

  @Test
  void aCommandEndedBySignalExitsWith128PlusIt() throws Exception {
    RunResult r = run(runner, LONG, "sh", "-c", "echo bye; kill -9 $$");
    assertEquals(new RunResult(false, 137, "bye", false), r);
  }

  @Test
  void failingExitCodeIsNotSuccess() throws Exception {
    RunResult r = run(runner, LONG, "sh", "-c", "echo oops >&2; exit 3");
    assertEquals(new RunResult(false, 3, "oops", false), r);
  }

  @Test
  void quotedArgumentsReachTheProgramUnchanged() throws Exception {
    Command cmd = CommandParser.parse("printf '%s|' 'a b' c '$HOME' \"*\"");
    RunResult r = await(runner.run(cmd, fire(LONG)));
    assertEquals("a b|c|$HOME|*|", r.output());
  }

  @Test
  void fireContextIsInTheEnvironment() throws Exception {
    RunResult r = run(runner, LONG, "sh", "-c",
        "echo \"$RUQI_JOB_ID|$RUQI_JOB_NAME|$RUQI_FIRE_TIME|$RUQI_FIRE_ID|$RUQI_ATTEMPT|${PATH:+has-path}\"");
    assertEquals("job-7|nightly report|2026-11-21T04:00:00Z|job-7@1795233600000|2|has-path", r.output());
  }

  @Test
  void theEnvironmentIsBuiltNotInherited() throws Exception {
    Map<String, String> service = Map.of(
        "PATH", System.getenv("PATH"), "HOME", "/home/ruqi", "LANG", "C.UTF-8", "LC_TIME", "C",
        "RUQI_AUTH_TOKENS", "ops:admin:secret-token-value", "RUQI_STORE_URL", "mysql://u:db-password@h/db",
        "JAVA_TOOL_OPTIONS", "-javaagent:x.jar", "https_proxy", "http://u:proxy-password@p:3128",
        "LD_PRELOAD", "/tmp/evil.so");
    ProcessEnvironment environment = new ProcessEnvironment(service, Map.of("GREETING", "hi", "HOME", "/srv/jobs"));
    ProcessRunner clean = new ProcessRunner(vertx, dir, Map.of(), environment, 1, Duration.ofSeconds(1));
    try {
      RunResult r = run(clean, LONG, "env");
      Map<String, String> seen = new java.util.TreeMap<>();
      for (String line : r.output().split("\n")) {
        String[] kv = line.split("=", 2);
        seen.put(kv[0], kv[1]);
      }
      Map<String, String> expected = new java.util.TreeMap<>(Map.of(
          "PATH", System.getenv("PATH"), "HOME", "/srv/jobs", "LANG", "C.UTF-8", "LC_TIME", "C", "GREETING", "hi",
          "RUQI_JOB_ID", "job-7", "RUQI_JOB_NAME", "nightly report", "RUQI_FIRE_TIME", "2026-11-21T04:00:00Z",
          "RUQI_FIRE_ID", "job-7@1795233600000", "RUQI_ATTEMPT", "2"));
      assertEquals(expected, seen, "exactly the allowed, configured and fire variables; exec.env wins");
    } finally {
      await(clean.close());
    }
  }

  @Test
  void programsAreLookedUpOnTheJobsPath() throws Exception {
    Path bin = dir.resolve("job-bin");
    Files.createDirectories(bin);
    Path tool = bin.resolve("ruqi-only-here");
    Files.writeString(tool, "#!/bin/sh\necho found on the job PATH\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessEnvironment environment = new ProcessEnvironment(Map.of("PATH", "/usr/bin:/bin"),
        Map.of("PATH", bin + ":/usr/bin:/bin"));
    ProcessRunner withPath = new ProcessRunner(vertx, dir, Map.of(), environment, 1, Duration.ofSeconds(1));
    try {
      assertEquals(new RunResult(true, 0, "found on the job PATH", false), run(withPath, LONG, "ruqi-only-here"));
    } finally {
      await(withPath.close());
    }
  }

  @Test
  void runsInTheWorkdirAndResolvesRelativePathsThere() throws Exception {
    Path script = dir.resolve("bin/where.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\npwd\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    RunResult r = run(runner, LONG, "bin/where.sh");
    assertEquals(dir.toRealPath().toString(), Path.of(r.output()).toRealPath().toString());
    assertEquals(0, r.exitCode());
  }

  @Test
  void aliasIsUsedWhenTheProgramIsNotOnPath() throws Exception {
    RunResult r = run(runner, LONG, "ruqi-test-sh", "-c", "echo aliased");
    assertEquals(new RunResult(true, 0, "aliased", false), r);
  }

  @Test
  void missingProgramIsACleanFailure() throws Exception {
    RunResult r = run(runner, LONG, "ruqi-no-such-program", "x");
    assertEquals(new RunResult(false, null, "cannot start ruqi-no-such-program: not found on PATH", false), r);

    RunResult path = run(runner, LONG, "./missing.sh");
    assertFalse(path.success());
    assertNull(path.exitCode());
    assertTrue(path.output().startsWith("cannot start ./missing.sh: no such file"), path.output());
  }

  /** A live view opened for a run that cannot start is ended: else its entry stays until a restart (a leak). */
  @Test
  void aRunThatCannotStartEndsItsLiveView() throws Exception {
    java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
    LiveOutput live = fire -> {
      opened.incrementAndGet();
      return new OutputLines.Listener() {
        @Override
        public void line(long seq, String text, long dropped) {
        }

        @Override
        public void end(long dropped) {
          ended.incrementAndGet();
        }
      };
    };
    // a working directory that is gone: the program is found, the start itself fails
    ProcessRunner watched = new ProcessRunner(vertx, dir.resolve("gone"), Map.of(),
        new ProcessEnvironment(System.getenv(), Map.of()), 1, Duration.ofSeconds(1), live);
    try {
      RunResult r = run(watched, LONG, "true");
      assertFalse(r.success(), r::toString);
      assertTrue(r.output().startsWith("cannot start true"), r.output());
      assertEquals(1, opened.get());
      assertEquals(1, ended.get(), "the live view of a run that never started is ended");
    } finally {
      await(watched.close());
    }
  }

  /** As the JDK (and a shell) do: an executable file the kernel cannot exec is a script for /bin/sh. */
  @Test
  void anExecutableScriptWithoutAShebangLineRunsInTheShell() throws Exception {
    Path script = dir.resolve("old.sh");
    Files.writeString(script, "echo \"old style $1\"; exit 4\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    RunResult r = run(runner, LONG, "./old.sh", "arg");
    assertEquals(new RunResult(false, 4, "old style arg", false), r);
  }

  @Test
  void nonExecutableFileIsPermissionDenied() throws Exception {
    Files.writeString(dir.resolve("plain.sh"), "echo never\n");
    RunResult r = run(runner, LONG, "./plain.sh");
    assertFalse(r.success());
    assertNull(r.exitCode());
    assertTrue(r.output().startsWith("cannot start ./plain.sh: permission denied"), r.output());
  }

  @Test
  void tenMegabytesOfOutputNeitherBlockNorOverflow() throws Exception {
    RunResult r = run(runner, LONG, "sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' x");
    assertTrue(r.success(), r::toString);
    assertTrue(r.output().length() <= OutputCap.MAX_CHARS, "length " + r.output().length());
    assertTrue(r.output().contains("\n...[" + (10_000_000 - 4096) + " omitted]...\n"), r.output());
    assertTrue(r.output().startsWith("xxxx") && r.output().endsWith("xxxx"));
    // a run that blocked on its pipe would have timed out after LONG and not succeeded
  }

  @Test
  void cutsOutputOnCharacterBoundaries() throws Exception {
    // "éé\n" is 5 bytes: byte 2048 falls inside an é, and so does the first byte of the last 2048 of 10004
    RunResult r = run(runner, LONG, "sh", "-c", "e=$(printf '\\303\\251'); yes \"$e$e\" | head -c 10004");
    assertFalse(r.output().contains("\uFFFD"), r.output());
    assertTrue(r.output().startsWith("éé\néé"), r.output());
    // 10004 - 4096 dropped in the middle, plus the half character at each cut
    assertTrue(r.output().contains("...[" + (10004 - 4096 + 2) + " omitted]..."), r.output());
  }

  @Test
  void timeoutEndsTheWholeTree() throws Exception {
    Path pids = dir.resolve("pids");
    long start = System.nanoTime();
    RunResult r = run(runner, Duration.ofSeconds(1), "sh", "-c",
        "echo started; echo $$ > pids; sleep 300 & echo $! >> pids; sleep 300 & echo $! >> pids; wait");
    long millis = elapsedMillis(start);
    assertTrue(r.timedOut());
    assertFalse(r.success());
    assertEquals(143, r.exitCode(), "SIGTERM");
    assertEquals("started\n[ruqi: timed out after 1s; process group ended]", r.output());
    assertTrue(millis >= 1000, "not before the timeout, took " + millis + " ms"); // and 143: TERM was enough
    assertAllDead(readPids(pids, 3));
  }

  @Test
  void processesIgnoringTermAreKilledAfterTheGrace() throws Exception {
    ProcessRunner quick = new ProcessRunner(vertx, dir, Map.of(), 2, Duration.ofMillis(500));
    try {
      Path pids = dir.resolve("pids");
      long start = System.nanoTime();
      RunResult r = run(quick, Duration.ofSeconds(1), "sh", "-c",
          "trap '' TERM; echo $$ > pids; sleep 300 & echo $! >> pids; while :; do wait; done");
      long millis = elapsedMillis(start);
      assertTrue(r.timedOut());
      assertEquals(137, r.exitCode(), "SIGKILL");
      assertTrue(millis >= 1400, "the KILL waits out the grace, took " + millis + " ms");
      assertAllDead(readPids(pids, 2));
    } finally {
      await(quick.close());
    }
  }

  @Test
  void backgroundChildHoldingTheOutputDoesNotHangTheRun() throws Exception {
    Path pids = dir.resolve("pids");
    RunResult r = run(runner, LONG, "sh", "-c", "sleep 100 & echo $! > pids; echo hi");
    assertTrue(r.success(), r::toString);
    assertFalse(r.timedOut());
    // usually the note; but when the pump was not inside read() as sh exited, the JDK itself drains and closes
    // the pipe, and the run ends at once with plain "hi"
    assertTrue(r.output().equals("hi") || r.output().startsWith("hi\n[ruqi: output still open 1s after exit"),
        r.output());
    // a run that waited for the child would have timed out after LONG
    assertAllDead(readPids(pids, 1));
  }

  @Test
  void backgroundChildWithItsOwnOutputIsEndedToo() throws Exception {
    Path pids = dir.resolve("pids");
    RunResult r = run(runner, LONG, "sh", "-c", "sleep 100 >/dev/null 2>&1 & echo $! > pids; echo hi");
    assertEquals(new RunResult(true, 0, "hi", false), r);
    // "hi" without the "output still open" note: no drain wait was needed
    assertAllDead(readPids(pids, 1));
  }

  @Test
  void commandIsItsOwnProcessGroupLeader() throws Exception {
    assumeTrue(runner.usesProcessGroups(), "no setsid here");
    RunResult r = run(runner, LONG, "sh", "-c", "echo $$; cut -d' ' -f5 /proc/$$/stat");
    String[] lines = r.output().split("\n");
    assertEquals(lines[0], lines[1], "pid == process group id");
  }

  @Test
  void withoutSetsidTheTreeIsStillEndedOnTimeout() throws Exception {
    ProcessRunner plain = new ProcessRunner(vertx, dir, Map.of(), 2, Duration.ofMillis(500), ProcessRunner.Start.PLAIN);
    try {
      assertFalse(plain.usesProcessGroups());
      Path pids = dir.resolve("pids");
      RunResult r = run(plain, Duration.ofSeconds(1), "sh", "-c",
          "echo $$ > pids; sleep 300 & echo $! >> pids; wait");
      assertTrue(r.timedOut(), r::toString);
      assertAllDead(readPids(pids, 2));
    } finally {
      await(plain.close());
    }
  }

  @Test
  void concurrencyLimitQueuesTheRest() throws Exception {
    ProcessRunner two = new ProcessRunner(vertx, dir, Map.of(), 2, Duration.ofSeconds(1));
    try {
      long start = System.nanoTime();
      List<Future<RunResult>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(two.run(process("sh", "-c", "date +%s%N; sleep 1; date +%s%N"), fire(LONG)));
      }
      List<long[]> spans = new ArrayList<>();
      for (Future<RunResult> f : runs) {
        String[] lines = await(f).output().split("\n");
        spans.add(new long[] {Long.parseLong(lines[0]), Long.parseLong(lines[1])});
      }
      long millis = elapsedMillis(start);
      assertTrue(millis >= 1950, "4 x 1 s two at a time took " + millis + " ms");
      for (long[] span : spans) {
        long atOnce = spans.stream().filter(o -> o[0] <= span[0] && span[0] < o[1]).count();
        assertTrue(atOnce <= 2, atOnce + " running at once");
      }
    } finally {
      await(two.close());
    }
  }

  @Test
  void resultArrivesOnTheCallersContext() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
    context.runOnContext(v -> runner.run(process("echo", "x"), fire(LONG))
        .onComplete(ar -> sameContext.complete(Vertx.currentContext() == context && ar.succeeded())));
    assertTrue(sameContext.get(10, TimeUnit.SECONDS));
  }

  @Test
  void closeEndsRunningProcessesAndAnswersQueuedRuns() throws Exception {
    ProcessRunner one = new ProcessRunner(vertx, dir, Map.of(), 1, Duration.ofSeconds(1));
    Path pids = dir.resolve("pids");
    // ignores TERM, so close() has to wait for the KILL
    Future<RunResult> running = one.run(process("sh", "-c",
        "trap '' TERM; echo $$ > pids; sleep 300 & echo $! >> pids; while :; do wait; done"), fire(LONG));
    Future<RunResult> queued = one.run(process("echo", "never"), fire(LONG));
    List<Long> started = readPids(pids, 2);
    long start = System.nanoTime();
    await(one.close());
    long millis = elapsedMillis(start);
    assertTrue(millis >= 900, "close waits for the KILL after the grace, took " + millis + " ms");
    assertAllDead(started);
    assertEquals(137, await(running).exitCode());
    assertEquals(RunResult.failed("process runner is closed"), await(queued));
    assertEquals(RunResult.failed("process runner is closed"), await(one.run(process("echo"), fire(LONG))));
  }

  @Test
  void closeIsQuickWhenTermWasEnough() throws Exception {
    ProcessRunner one = new ProcessRunner(vertx, dir, Map.of(), 1, Duration.ofSeconds(10));
    Path pids = dir.resolve("pids");
    Future<RunResult> running = one.run(process("sh", "-c", "echo $$ > pids; sleep 300 & echo $! >> pids; wait"),
        fire(LONG));
    List<Long> started = readPids(pids, 2);
    long start = System.nanoTime();
    await(one.close());
    long millis = elapsedMillis(start);
    // the only bound that tells the two apart: the 10 s grace, far above any slowness of this machine
    assertTrue(millis < 8000, "no need to wait out the 10 s grace, took " + millis + " ms");
    assertAllDead(started);
    assertEquals(143, await(running).exitCode());
  }

  @Test
  void otherCommandKindsAreRefused() throws Exception {
    RunResult r = await(runner.run(new Command.EventBus("a.b", Command.emptyBody()), fire(LONG)));
    assertFalse(r.success());
    assertTrue(r.output().startsWith("not a process command"), r.output());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Command process(String... argv) {
    return new Command.Process(List.of(argv));
  }

  private static FireContext fire(Duration timeout) {
    Instant fireTime = Instant.parse("2026-11-21T04:00:00Z");
    return new FireContext("job-7", "nightly report", fireTime, new FireRef("job-7", fireTime).id(), 2, timeout);
  }

  private static RunResult run(ProcessRunner runner, Duration timeout, String... argv) throws Exception {
    return await(runner.run(process(argv), fire(timeout)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Waits (briefly) until the script has written {@code count} pids. */
  private static List<Long> readPids(Path file, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      List<Long> pids = new ArrayList<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.trim()));
          }
        }
      }
      if (pids.size() >= count) {
        return pids;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("script wrote only " + pids + " to " + file);
      }
      Thread.sleep(20);
    }
  }

  /** Dead means gone or a zombie: killed orphans may wait for a PID 1 that does not reap them. */
  private static void assertAllDead(List<Long> pids) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    List<Long> alive = pids;
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      alive = pids.stream().filter(ProcessRunnerTest::running).toList();
    }
    assertTrue(alive.isEmpty(), "still running: " + alive);
  }

  private static boolean running(long pid) {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false; // no /proc entry: gone
    }
  }
}
