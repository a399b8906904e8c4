package io.ruqi.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's operations. Each has its 2025 RuQi name first and, where RuQi had one, its 2021 name; both are served
 * with the same behaviour, on HTTP at {@code /ruqi/<name>} and on the event bus at {@code ruqi.<name>}.
 */
public enum ApiOp {
  JOB_ADD("job_add", "add_job"),
  JOB_MODIFY("job_modify", "modify_job"),
  JOB_REMOVE("job_remove", "remove_job"),
  JOB_PAUSE("job_pause", "pause_job"),
  JOB_RESUME("job_resume", "resume_job"),
  JOB_LIST("job_list", "get_jobs"),
  JOB_SHOW("job_show", "get_job"),
  JOB_ADD_BY_LINE("job_add_by_line"),
  JOB_NEXT_TIMES("job_next_times"),
  JOB_RUN("job_run"),
  JOB_HISTORY_LIST("job_history_list", "get_history"),
  JOB_HISTORY_CLEAR("job_history_clear"),
  HISTORY_STATS("history_stats"),
  FIRE_OUTPUT("fire_output"),
  JOB_EXPORT("job_export"),
  JOB_IMPORT("job_import"),
  AUDIT_LIST("audit_list"),
  SCHEDULER_STATUS("scheduler_status", "status"),
  SCHEDULER_WAKEUP("scheduler_wakeup", "wakeup"),
  SCHEDULER_PAUSE("scheduler_pause"),
  SCHEDULER_RESUME("scheduler_resume");

  public static final String ADDRESS_PREFIX = "ruqi.";

  private static final Map<String, ApiOp> BY_NAME = new HashMap<>();

  static {
    for (ApiOp op : values()) {
      for (String name : op.names) {
        BY_NAME.put(name, op);
      }
    }
  }

  private final List<String> names;

  ApiOp(String... names) {
    this.names = List.of(names);
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
