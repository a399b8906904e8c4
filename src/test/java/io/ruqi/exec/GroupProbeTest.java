package io.ruqi.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupProbeTest {
  private final GroupProbe probe = new GroupProbe();

  @AfterEach
  void tearDown() {
    probe.close();
  }

  @Test
  void aGroupExistsUntilItsLastProcessIsReaped() throws Exception {
    // setsid execs in place (a Java child is never a group leader): the pid is the id of a new group
    Process leader = new ProcessBuilder("/usr/bin/setsid", "sleep", "60").start();
    try {
      // the group is there once setsid has called setsid(2), which start() does not wait for (a clean clone's CI
      // asked first, once)
      assertEquals(Optional.of(true), groupOnceSetUp(leader.pid()));
    } finally {
      leader.destroyForcibly();
    }
    assertTrue(leader.waitFor(10, TimeUnit.SECONDS));
    assertEquals(Optional.of(false), probe.exists(leader.pid()));
  }

  /** What the probe says of {@code pgid}, asked again for up to 5 s while it says the group is not there. */
  private Optional<Boolean> groupOnceSetUp(long pgid) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Optional<Boolean> answer = probe.exists(pgid);
    while (answer.equals(Optional.of(false)) && System.nanoTime() < until) {
      Thread.sleep(10);
      answer = probe.exists(pgid);
    }
    return answer;
  }

  @Test
  void answersMeetTheirQuestionsWhenManyAreInFlight() throws Exception {
    Process leader = new ProcessBuilder("/usr/bin/setsid", "sleep", "60").start();
    assertEquals(Optional.of(true), groupOnceSetUp(leader.pid()));
    ExecutorService askers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> right = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        boolean live = i % 2 == 0;
        long pgid = live ? leader.pid() : Integer.MAX_VALUE - i;
        right.add(askers.submit(() -> probe.exists(pgid).orElseThrow() == live));
      }
      for (Future<Boolean> answer : right) {
        assertTrue(answer.get(30, TimeUnit.SECONDS));
      }
    } finally {
      askers.shutdownNow();
      leader.destroyForcibly();
    }
  }

  @Test
  void aShellThatDiedIsStartedAgain() throws Exception {
    assertEquals(Optional.of(false), probe.exists(Integer.MAX_VALUE - 1));
    ProcessHandle shell = probe.shell().orElseThrow();
    shell.destroyForcibly();
    shell.onExit().get(10, TimeUnit.SECONDS);
    // the question that meets the dead shell may go unanswered (the caller then scans /proc); the next one is answered
    probe.exists(Integer.MAX_VALUE - 1);
    assertEquals(Optional.of(false), probe.exists(Integer.MAX_VALUE - 1));
    assertTrue(probe.shell().orElseThrow().pid() != shell.pid());
  }

  @Test
  void aClosedProbeCannotTell() {
    probe.close();
    assertEquals(Optional.empty(), probe.exists(1));
  }

  @Test
  void aShellThatStoppedAnsweringIsReplacedAfterTheAnswerLimit() throws Exception {
    try (GroupProbe quick = new GroupProbe(java.time.Duration.ofMillis(300))) {
      assertEquals(Optional.of(false), quick.exists(Integer.MAX_VALUE - 1));
      ProcessHandle stopped = quick.shell().orElseThrow();
      new ProcessBuilder("kill", "-STOP", Long.toString(stopped.pid())).start().waitFor();
      assertEquals(Optional.empty(), quick.exists(Integer.MAX_VALUE - 1), "the caller scans instead");
      assertEquals(Optional.of(false), quick.exists(Integer.MAX_VALUE - 1), "a new shell answers");
      assertTrue(quick.shell().orElseThrow().pid() != stopped.pid());
      stopped.onExit().get(10, TimeUnit.SECONDS); // the stopped one was ended, not left behind
    }
  }

  @Test
  void aLineNobodyAskedForEndsTheShellInsteadOfShiftingTheAnswers() throws Exception {
    Process leader = new ProcessBuilder("/usr/bin/setsid", "sleep", "60").start();
    try {
      assertEquals(Optional.of(true), groupOnceSetUp(leader.pid()));
      ProcessHandle shell = probe.shell().orElseThrow();
      // what a process of the same user could do: write into the pipe the answers come by
      java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/" + shell.pid() + "/fd/1"), "1 0\n");
      // read before this question or as its answer, the line ends that shell: never a wrong answer
      assertTrue(probe.exists(leader.pid()).orElse(true), "no answer, or the right one");
      assertEquals(Optional.of(true), probe.exists(leader.pid()), "answers stay with their questions");
      assertTrue(probe.shell().orElseThrow().pid() != shell.pid(), "another shell answers");
      shell.onExit().get(10, TimeUnit.SECONDS);
      assertEquals(Optional.of(false), probe.exists(Integer.MAX_VALUE - 3));
    } finally {
      leader.destroyForcibly();
    }
  }
}
