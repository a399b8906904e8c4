package io.ruqi.exec;

/**
 * Where the lines a process prints go while it runs, for whoever watches the fire live. {@link #NONE} sends them
 * nowhere; the node's own sends them on the event bus (see {@code events/OutputPublisher}).
 */
public interface LiveOutput {
  LiveOutput NONE = fire -> null;

  /** The listener of one run's lines, or null when nobody is to get them. Called on the run's worker thread. */
  OutputLines.Listener open(FireContext fire);
}
