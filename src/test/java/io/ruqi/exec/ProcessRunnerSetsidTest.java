package io.ruqi.exec;

/** {@link ProcessRunnerTest} through the JDK as {@code setsid <program>}: where posix_spawn is not available. */
class ProcessRunnerSetsidTest extends ProcessRunnerTest {
  @Override
  ProcessRunner.Start start() {
    return ProcessRunner.Start.SETSID;
  }
}
