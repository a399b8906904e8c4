package io.ruqi.worker;

import io.ruqi.config.NodeRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A worker's news, published every second: who it is, its labels and its load. {@code leaving} is its last one,
 * sent as it stops, so that schedulers stop choosing it at once.
 *
 * @param incarnation new at each start of the worker: a worker restarted under its name within the silence that
 *                    makes it gone still ends the runs of its former life
 */
public record Heartbeat(String worker, String incarnation, List<String> labels, int running, int capacity,
                        boolean leaving) {

  public JsonObject toJson() {
    return new JsonObject().put("worker", worker).put("incarnation", incarnation)
        .put("labels", new JsonArray(new ArrayList<>(labels)))
        .put("running", running).put("capacity", capacity).put("leaving", leaving);
  }

  /** The heartbeat in {@code json}, or null when it is not one (a peer's bug must not break the table). */
  public static Heartbeat from(JsonObject json) {
    try {
      if (!(json.getValue("worker") instanceof String worker) || !(json.getValue("incarnation") instanceof String
          incarnation)) {
        return null;
      }
      JsonArray raw = json.getJsonArray("labels");
      if (worker.isEmpty() || worker.length() > 255 || incarnation.isEmpty() || incarnation.length() > 64
          || raw == null
          || raw.size() > NodeRole.MAX_LABELS) {
        return null;
      }
      List<String> labels = new ArrayList<>();
      for (Object label : raw) {
        if (!(label instanceof String s) || !NodeRole.LABEL.matcher(s).matches()) {
          return null;
        }
        labels.add(s);
      }
      int running = json.getInteger("running", 0);
      int capacity = json.getInteger("capacity", 1);
      if (running < 0 || capacity < 1) {
        return null;
      }
      return new Heartbeat(worker, incarnation, List.copyOf(labels), running, capacity, json.getBoolean("leaving", false));
    } catch (ClassCastException e) {
      return null;
    }
  }
}
