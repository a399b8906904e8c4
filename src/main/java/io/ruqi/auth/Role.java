package io.ruqi.auth;

import io.ruqi.api.ApiOp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. {@code viewer} reads (lists, shows, history, status, previews, events, metrics);
 * {@code operator} also pauses, resumes (jobs and the whole scheduler), runs and wakes; {@code admin} does
 * everything, including every change to what runs on the host.
 */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  private static final Set<ApiOp> READS = EnumSet.of(ApiOp.JOB_LIST, ApiOp.JOB_SHOW, ApiOp.JOB_NEXT_TIMES,
      ApiOp.JOB_HISTORY_LIST, ApiOp.SCHEDULER_STATUS, ApiOp.JOB_EXPORT, ApiOp.HISTORY_STATS,
      ApiOp.FIRE_OUTPUT);
  private static final Set<ApiOp> OPERATIONS = EnumSet.of(ApiOp.JOB_PAUSE, ApiOp.JOB_RESUME, ApiOp.JOB_RUN,
      ApiOp.SCHEDULER_WAKEUP, ApiOp.SCHEDULER_PAUSE, ApiOp.SCHEDULER_RESUME);

  public boolean allows(ApiOp op) {
    return switch (this) {
      case ADMIN -> true;
      case OPERATOR -> READS.contains(op) || OPERATIONS.contains(op);
      case VIEWER -> READS.contains(op);
    };
  }

  /** The least role that may call {@code op}. */
  public static Role needed(ApiOp op) {
    return VIEWER.allows(op) ? VIEWER : OPERATOR.allows(op) ? OPERATOR : ADMIN;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    return null;
  }
}
