package io.ruqi.exec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a job's process starts with. It is built, not inherited: the service's own environment holds its
 * secrets ({@code RUQI_AUTH_TOKENS}, the password in {@code RUQI_STORE_URL}, a proxy's credentials) and its JVM's
 * knobs ({@code JAVA_TOOL_OPTIONS}), and a job's output is readable by every viewer of the history.
 *
 * <p>A process gets, later entries winning: the variables of {@link #INHERITED} (and {@code LC_*}) that the service
 * has, the configured {@code exec.env}, then the fire's own {@code RUQI_JOB_ID}, {@code RUQI_JOB_NAME},
 * {@code RUQI_FIRE_TIME}, {@code RUQI_FIRE_ID} and {@code RUQI_ATTEMPT}, and on a chained fire {@code RUQI_PARENT_FIRE_ID}.
 */
public final class ProcessEnvironment {
  /** What a script needs to find programs, its home, its locale and its temp dir; none of it is a secret. */
  static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ",
      "TMPDIR");
  private static final String LOCALE_PREFIX = "LC_";

  private final Map<String, String> base;

  /**
   * @param serviceEnv the service's environment ({@code System.getenv()})
   * @param extra      {@code exec.env}, validated by the configuration (no {@code RUQI_} names)
   */
  public ProcessEnvironment(Map<String, String> serviceEnv, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    serviceEnv.forEach((name, value) -> {
      if (INHERITED.contains(name) || name.startsWith(LOCALE_PREFIX)) {
        env.put(name, value);
      }
    });
    env.putAll(extra);
    this.base = Map.copyOf(env);
  }

  /** The environment of a process started for this fire. */
  Map<String, String> forFire(FireContext fire) {
    Map<String, String> env = new LinkedHashMap<>(base);
    env.put("RUQI_JOB_ID", String.valueOf(fire.jobId()));
    env.put("RUQI_JOB_NAME", fire.jobName() == null ? "" : fire.jobName());
    env.put("RUQI_FIRE_TIME", fire.fireTime() == null ? "" : fire.fireTime().toString());
    env.put("RUQI_FIRE_ID", fire.fireId() == null ? "" : fire.fireId());
    env.put("RUQI_ATTEMPT", Integer.toString(fire.attempt()));
    if (fire.parentFireId() != null) {
      env.put("RUQI_PARENT_FIRE_ID", fire.parentFireId());
    }
    return env;
  }

  /** The PATH processes get, which is also where their programs are looked up; null when there is none. */
  String path() {
    return base.get("PATH");
  }
}
