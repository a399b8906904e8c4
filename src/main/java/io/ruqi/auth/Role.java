package io.ruqi.auth;

import java.util.Locale;

/**
 * What a token may do. {@code viewer} reads (lists, shows, history, status, previews, events, metrics);
 * {@code operator} also pauses, resumes (jobs and the whole scheduler), runs and wakes; {@code admin} does
 * everything, including every change to what runs on the host. Which operation needs which role is said by the
 * operation itself ({@code api/ApiOp}): auth knows roles, not the API.
 */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  /** Whether this role may do what {@code needed} may: each role may do all that the roles before it may. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
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
