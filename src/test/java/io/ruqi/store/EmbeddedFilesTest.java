package io.ruqi.store;

import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded store's files: private to ruqi's user, and no trace file growing beside them. */
class EmbeddedFilesTest {

  /** Jobs firing, listed and shown, and their history read: every kind of row the store decodes. */
  private static void exercise(TestNode node, boolean withDuplicate) {
    JsonObject job = new JsonObject().put("job_id", "tick").put("job_name", "n").put("job_trigger", "interval")
        .put("rule", "1s").put("cmd", "true");
    assertEquals("OK", node.http.post("/ruqi/job_add", job).stat());
    eventually(30, "two fires recorded", () -> node.history("tick").size() >= 2);
    assertEquals("OK", node.http.get("/ruqi/job_list").stat());
    assertEquals("OK", node.http.get("/ruqi/job_show?job_id=tick").stat());
    assertEquals("OK", node.http.get("/ruqi/job_history_list?is_success=yes").stat());
    assertEquals("OK", node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "tick")).stat());
    if (withDuplicate) {
      // H2 traces every exception its JDBC layer throws, expected ones too: hence its file trace is off
      assertEquals("ERR", node.http.post("/ruqi/job_add", job).stat(), "a taken job_id is an expected error");
    }
  }

  @Test
  void a_fresh_data_directory_and_its_sqlite_files_are_private(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    assertPrivateAfterUse(data, "sqlite:" + data.resolve("ruqi.db"),
        List.of(data.resolve("ruqi.db"), data.resolve("ruqi.db-wal"), data.resolve("ruqi.db-shm")));
  }

  @Test
  void a_fresh_data_directory_and_its_h2_files_are_private(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    assertPrivateAfterUse(data, "h2:" + data.resolve("ruqi"), List.of(data.resolve("ruqi.mv.db")));
    assertFalse(Files.exists(data.resolve("ruqi.trace.db")), "H2 writes no trace file");
  }

  /** A node on the store at {@code url} in {@code data}, used: the directory is 0700, each file in it 0600. */
  private void assertPrivateAfterUse(Path data, String url, List<Path> expected) throws Exception {
    try (TestNode node = TestNode.startRealTime(new JsonObject()
        .put("store", new JsonObject().put("url", url)))) {
      exercise(node, true);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
      List<Path> files;
      try (Stream<Path> s = Files.list(data)) {
        files = s.toList();
      }
      assertTrue(files.containsAll(expected), files.toString());
      for (Path f : files) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
      }
    }
  }

  /**
   * The cause of the 74 MB trace file: every TINYINT read (a job's paused flag, a row's success) failed inside the
   * driver and H2 traced each failure. With H2's file trace at its default level, using the store leaves no trace.
   */
  @Test
  void reading_jobs_and_history_raises_no_error_inside_the_driver(@TempDir Path dir) {
    Path db = dir.resolve("traced");
    String url = "jdbc:h2:file:" + db + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE;TRACE_LEVEL_FILE=1";
    try (TestNode node = TestNode.startRealTime(new JsonObject().put("store", new JsonObject().put("url", url)))) {
      exercise(node, false);
    }
    Path trace = dir.resolve("traced.trace.db");
    assertFalse(Files.exists(trace), () -> {
      try {
        String text = Files.readString(trace);
        return "H2 traced errors:\n" + text.substring(0, Math.min(2000, text.length()));
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
  }
}
