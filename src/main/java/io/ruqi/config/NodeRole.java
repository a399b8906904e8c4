package io.ruqi.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a node does in the cluster: a scheduler (the default: it claims and runs fires, serves the API) or a worker,
 * which claims nothing, needs no database, serves no API and runs only the process commands schedulers send it
 * (jobs with {@code run_on} or {@code broadcast}), for the labels it carries.
 *
 * @param worker whether {@code node.role} is {@code worker}
 * @param labels the worker's labels ({@code gpu}, {@code eu}, {@code host-a}); empty on a scheduler
 */
public record NodeRole(boolean worker, List<String> labels) {
  /** A label, and so a job's {@code run_on} / {@code broadcast}: a short simple name, safe in logs and addresses. */
  public static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  /** The most labels one worker carries (each heartbeat carries them all). */
  public static final int MAX_LABELS = 32;

  public static final NodeRole SCHEDULER = new NodeRole(false, List.of());

  public NodeRole {
    labels = List.copyOf(labels);
  }
}
