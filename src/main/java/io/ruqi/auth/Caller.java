package io.ruqi.auth;

/** Who made a request: the token's name and role (the anonymous caller of an open service is an admin). */
public record Caller(String name, Role role) {
  public static final Caller ANONYMOUS = new Caller("anonymous", Role.ADMIN);
  /** A Vert.x peer calling the event-bus API: the cluster is trusted. */
  public static final Caller EVENT_BUS = new Caller("eventbus", Role.ADMIN);
}
