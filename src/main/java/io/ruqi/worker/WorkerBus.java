package io.ruqi.worker;

/**
 * The event-bus addresses between schedulers and workers. Every message travels on the cluster's event bus, so
 * only holders of {@code cluster.secret} reach them (TLS and the member handshake, see {@code cluster/}).
 *
 * <ul>
 *   <li>{@value #HEARTBEAT}: each worker publishes a {@link Heartbeat} every {@link #HEARTBEAT_EVERY_MS} ms; every
 *   scheduler keeps its own table of live workers from them.</li>
 *   <li>{@code ruqi.worker.<id>.run}: a scheduler asks one worker to run a {@link RunOrder}; the reply says at once
 *   whether it was accepted, not how it ended.</li>
 *   <li>{@code ruqi.worker-results.<scheduler>}: the worker tells that scheduler the run's end ({@link RunReport});
 *   the scheduler's reply is the receipt.</li>
 * </ul>
 */
public final class WorkerBus {
  public static final String HEARTBEAT = "ruqi.workers.heartbeat";
  public static final long HEARTBEAT_EVERY_MS = 1_000;
  /**
   * A worker silent this long is gone, and its runs are recorded {@code interrupted}: five heartbeats, so that a
   * long GC pause or a loaded machine is not a death, and a real one is known within seconds.
   */
  public static final long GONE_AFTER_MS = 5 * HEARTBEAT_EVERY_MS;

  private WorkerBus() {
  }

  public static String runAddress(String worker) {
    return "ruqi.worker." + worker + ".run";
  }

  public static String resultAddress(String scheduler) {
    return "ruqi.worker-results." + scheduler;
  }
}
