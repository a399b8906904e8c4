package io.ruqi.exec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KILL after the grace period reaches the run's group, and never a group that a newcomer made with its id. */
class ProcessGroupTest {

  @Test
  void theKillGoesWhenTheLeaderIsTheSameOrGoneOrUnknown() {
    assertTrue(ProcessGroup.stillTheRunsGroup("1234", "1234"), "the same leader, alive or a zombie");
    assertTrue(ProcessGroup.stillTheRunsGroup("1234", ""), "the leader died: its orphans are still the run's");
    assertTrue(ProcessGroup.stillTheRunsGroup("", ""), "no leader at the TERM nor now");
    assertTrue(ProcessGroup.stillTheRunsGroup(null, "1234"), "/proc could not tell at the TERM: as before");
    assertTrue(ProcessGroup.stillTheRunsGroup("1234", null), "/proc cannot tell now: as before");
  }

  @Test
  void theKillIsHeldWhenANewcomerHasTheLeadersPid() {
    assertFalse(ProcessGroup.stillTheRunsGroup("1234", "9876"), "another process has the pid now");
    assertFalse(ProcessGroup.stillTheRunsGroup("", "9876"), "the leader was gone at the TERM, a process has it now");
  }

  @Test
  void aProcessStartTimeTellsItFromALaterOneWithThePid() throws Exception {
    long self = ProcessHandle.current().pid();
    String mine = LiveGroupMembers.startTime(self);
    assertTrue(mine != null && mine.matches("[0-9]+"), mine);
    assertEquals(mine, LiveGroupMembers.startTime(self), "stable for one process");

    Process child = new ProcessBuilder("sleep", "0.3").start();
    String childs = LiveGroupMembers.startTime(child.pid());
    assertTrue(childs != null && childs.matches("[0-9]+"), childs);
    assertNotEquals("", childs);
    child.waitFor();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!"".equals(LiveGroupMembers.startTime(child.pid())) && System.nanoTime() < deadline) {
      Thread.sleep(20); // the JDK reaps it on its own thread
    }
    assertEquals("", LiveGroupMembers.startTime(child.pid()), "a reaped process has no start time");
  }
}
