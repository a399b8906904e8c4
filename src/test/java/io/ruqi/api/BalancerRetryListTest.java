package io.ruqi.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped balancer files send a call again to the other node only if sending it twice changes nothing more.
 * Every operation is sorted here, so that a new one cannot slip into either list unread.
 */
class BalancerRetryListTest {
  /**
   * Reads, the upsert job_import, the wake-up (it only makes the scheduler read the store) and the scheduler's
   * switch (pausing a paused scheduler changes nothing).
   */
  static final Set<ApiOp> SAFE_TO_REPEAT = EnumSet.of(ApiOp.JOB_LIST, ApiOp.JOB_SHOW, ApiOp.JOB_NEXT_TIMES,
      ApiOp.JOB_HISTORY_LIST, ApiOp.JOB_EXPORT, ApiOp.AUDIT_LIST, ApiOp.HISTORY_STATS, ApiOp.FIRE_OUTPUT,
      ApiOp.SCHEDULER_STATUS, ApiOp.JOB_IMPORT,
      ApiOp.SCHEDULER_WAKEUP, ApiOp.SCHEDULER_PAUSE, ApiOp.SCHEDULER_RESUME, ApiOp.CALENDAR_GET, ApiOp.CALENDAR_LIST);
  /** A second job_add answers 409, a second job_run fires again, an edit's version is spent... */
  static final Set<ApiOp> NOT_REPEATED = EnumSet.of(ApiOp.JOB_ADD, ApiOp.JOB_MODIFY, ApiOp.JOB_REMOVE,
      ApiOp.JOB_PAUSE, ApiOp.JOB_RESUME, ApiOp.JOB_RUN, ApiOp.JOB_ADD_BY_LINE, ApiOp.JOB_HISTORY_CLEAR,
      // a second calendar_set writes another version and audit row; a second calendar_delete answers 404
      ApiOp.CALENDAR_SET, ApiOp.CALENDAR_DELETE);

  @Test
  void every_operation_is_sorted() {
    EnumSet<ApiOp> sorted = EnumSet.copyOf(SAFE_TO_REPEAT);
    sorted.addAll(NOT_REPEATED);
    assertEquals(EnumSet.allOf(ApiOp.class), sorted, "a new operation: is it safe to send twice?");
  }

  @Test
  void haproxy_retries_exactly_the_operations_safe_to_repeat() throws IOException {
    assertRetries(pattern(Path.of("conf", "ha", "haproxy.cfg"), "acl ruqi_idempotent path_reg -i (\\S+)"));
  }

  @Test
  void nginx_retries_exactly_the_operations_safe_to_repeat() throws IOException {
    assertRetries(pattern(Path.of("conf", "ha", "nginx.conf"), "location ~\\* (\\S+) \\{"));
  }

  private static void assertRetries(Pattern retried) {
    for (ApiOp op : ApiOp.values()) {
      for (String name : op.names()) {
        for (String path : new String[] {"/ruqi/" + name, "/ruqi/" + name + "/"}) {
          assertEquals(SAFE_TO_REPEAT.contains(op), retried.matcher(path).matches(), path);
        }
      }
    }
    assertTrue(retried.matcher("/ruqi/JOB_LIST").matches(), "operation names are case-insensitive");
  }

  private static Pattern pattern(Path file, String line) throws IOException {
    Matcher m = Pattern.compile(line).matcher(Files.readString(file));
    assertTrue(m.find(), file + " has no line like " + line);
    return Pattern.compile(m.group(1), Pattern.CASE_INSENSITIVE);
  }
}
