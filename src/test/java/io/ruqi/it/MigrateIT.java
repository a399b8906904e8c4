package io.ruqi.it;

import io.ruqi.testing.ApschedulerFixtures;
import io.ruqi.testing.MySqlStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar ruqi.jar migrate}, as an operator runs it: the report on stdout, the exit code, no password. */
class MigrateIT {

  @Test
  void the_jar_migrates_a_ruqi_database_named_in_the_environment_and_says_what_it_did(@TempDir Path dir)
      throws Exception {
    String source = MySqlStores.freshUrl("migrate_it");
    ApschedulerFixtures.make(source);
    Map<String, String> env = Map.of("RUQI_STORE_URL", "sqlite:" + dir.resolve("data/ruqi.db"),
        "RUQI_MIGRATE_FROM", source);

    String dry = run(dir, env, 3, "migrate", "--dry-run", "--source-timezone", "Asia/Shanghai");
    assertTrue(dry.startsWith("ruqi migrate --dry-run"), "the report is all stdout holds:\n" + dry);
    assertTrue(dry.contains("jobs: 20 read; would 18 added, 0 modified, 0 unchanged; 2 not migrated"), dry);
    assertTrue(dry.contains("not migrated  shell_pipe: cmd: '|' is a shell operator"), dry);
    assertFalse(dry.contains(":ruqi@"), "no password in the report: " + dry);

    String done = run(dir, env, 3, "migrate", "--source-timezone", "Asia/Shanghai");
    assertTrue(done.contains("jobs: 20 read; 18 added"), done);
    assertTrue(done.contains("history: 5 rows read; 5 added"), done);
    String again = run(dir, env, 3, "migrate", "--source-timezone", "Asia/Shanghai");
    assertTrue(again.contains("0 added, 0 modified, 18 unchanged"), again);
    assertTrue(again.contains("history: 5 rows read; 0 added"), again);

    String refused = run(dir, Map.of("RUQI_STORE_URL", source), 2, "migrate", "--from", source);
    assertTrue(refused.contains("--from is ruqi's own store"), refused);
  }

  static String run(Path dir, Map<String, String> env, int exitCode, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "migrate", ".out");
    Process p = RuqiProcess.launch(dir, env, log, args);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "migrate did not end");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(exitCode, p.exitValue(), out);
    return out;
  }
}
