package io.ruqi.client;

import io.vertx.core.Future;

/** A subscription to ruqi's events ({@link RuqiClient#watch}). */
public interface Watch {
  /** Stops the events; then {@link #ended()} succeeds. */
  Future<Void> close();

  /**
   * Completes when the events stop: succeeds after {@link #close()}, fails when they stopped otherwise (over HTTP,
   * the node stopped or the connection broke; watch again to go on).
   */
  Future<Void> ended();
}
