package io.ruqi.api;

import io.ruqi.auth.Role;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.ruqi.auth.Role.ADMIN;
import static io.ruqi.auth.Role.OPERATOR;
import static io.ruqi.auth.Role.VIEWER;

/**
 * The API's operations. Each has its 2025 RuQi name first and, where RuQi had one, its 2021 name; both are served
 * with the same behaviour, on HTTP at {@code /ruqi/<name>} and on the event bus at {@code ruqi.<name>}. Each names
 * the least role that may call it: a viewer reads, an operator also pauses, resumes, runs and wakes, an admin
 * changes what runs on the host.
 */
public enum ApiOp {
  JOB_ADD(ADMIN, "job_add", "add_job"),
  JOB_MODIFY(ADMIN, "job_modify", "modify_job"),
  JOB_REMOVE(ADMIN, "job_remove", "remove_job"),
  JOB_PAUSE(OPERATOR, "job_pause", "pause_job"),
  JOB_RESUME(OPERATOR, "job_resume", "resume_job"),
  JOB_LIST(VIEWER, "job_list", "get_jobs"),
  JOB_SHOW(VIEWER, "job_show", "get_job"),
  JOB_ADD_BY_LINE(ADMIN, "job_add_by_line"),
  JOB_NEXT_TIMES(VIEWER, "job_next_times"),
  JOB_RUN(OPERATOR, "job_run"),
  JOB_HISTORY_LIST(VIEWER, "job_history_list", "get_history"),
  JOB_HISTORY_CLEAR(ADMIN, "job_history_clear"),
  HISTORY_STATS(VIEWER, "history_stats"),
  FIRE_OUTPUT(VIEWER, "fire_output"),
  JOB_EXPORT(VIEWER, "job_export"),
  JOB_IMPORT(ADMIN, "job_import"),
  AUDIT_LIST(ADMIN, "audit_list"),
  SCHEDULER_STATUS(VIEWER, "scheduler_status", "status"),
  SCHEDULER_WAKEUP(OPERATOR, "scheduler_wakeup", "wakeup"),
  SCHEDULER_PAUSE(OPERATOR, "scheduler_pause"),
  SCHEDULER_RESUME(OPERATOR, "scheduler_resume"),
  CALENDAR_SET(ADMIN, "calendar_set"),
  CALENDAR_GET(VIEWER, "calendar_get"),
  CALENDAR_LIST(VIEWER, "calendar_list"),
  CALENDAR_DELETE(ADMIN, "calendar_delete");

  public static final String ADDRESS_PREFIX = "ruqi.";

  private static final Map<String, ApiOp> BY_NAME = new HashMap<>();

  static {
    for (ApiOp op : values()) {
      for (String name : op.names) {
        BY_NAME.put(name, op);
      }
    }
  }

  private final Role role;
  private final List<String> names;

  ApiOp(Role role, String... names) {
    this.role = role;
    this.names = List.of(names);
  }

  /** The least role that may call this operation. */
  public Role role() {
    return role;
  }

  public List<String> names() {
    return names;
  }

  /** The operation served under {@code name}, or null. */
  public static ApiOp byName(String name) {
    return BY_NAME.get(name);
  }

  public static String address(String name) {
    return ADDRESS_PREFIX + name;
  }
}
