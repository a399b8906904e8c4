package io.ruqi.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LaunchMechanismTest {
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(LaunchMechanism.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(LaunchMechanism.PROPERTY);
    } else {
      System.setProperty(LaunchMechanism.PROPERTY, before);
    }
  }

  @Test
  void vforkIsChosenOnLinuxWhenNothingIsSet() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && Runtime.version().feature() <= 24);
    System.clearProperty(LaunchMechanism.PROPERTY);
    LaunchMechanism.preferVfork();
    assertEquals("VFORK", System.getProperty(LaunchMechanism.PROPERTY));
  }

  @Test
  void aSettingGivenOnTheCommandLineWins() {
    System.setProperty(LaunchMechanism.PROPERTY, "POSIX_SPAWN");
    LaunchMechanism.preferVfork();
    assertEquals("POSIX_SPAWN", System.getProperty(LaunchMechanism.PROPERTY));
  }
}
