package io.ruqi.exec;

import com.sun.jna.Memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child started by {@link PosixSpawn}, seen as a {@link Process}: its merged output, its exit status (reaped by a
 * thread of a small shared pool, as the JDK's own "process reaper" does) and its signals. stdin is /dev/null, so
 * {@link #getOutputStream()} discards; stderr is merged into {@link #getInputStream()}.
 */
final class SpawnedProcess extends Process {
  private static final AtomicInteger REAPERS = new AtomicInteger();
  private static final ExecutorService REAPER_POOL = Executors.newCachedThreadPool(r -> {
    // a reaper only waits in waitpid: a small stack, as the JDK gives its own
    Thread t = new Thread(null, r, "ruqi-process-reaper-" + REAPERS.incrementAndGet(), 128 * 1024);
    t.setDaemon(true);
    return t;
  });

  private final int pid;
  private final PipeInput output;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  /** Set under this lock once reaped: a signal must not reach a later process given the same pid. */
  private boolean reaped;

  private SpawnedProcess(int pid, int outputFd) {
    this.pid = pid;
    this.output = new PipeInput(outputFd);
  }

  /** The process, reaped by a thread of the pool; if that thread cannot be had, its output is closed and it throws. */
  static SpawnedProcess started(int pid, int outputFd) {
    SpawnedProcess process = new SpawnedProcess(pid, outputFd);
    try {
      REAPER_POOL.execute(process::reap);
    } catch (RuntimeException | Error e) {
      process.output.close(); // by its cleaner's action: the descriptor is closed once, by whoever is first
      throw e;
    }
    return process;
  }

  private void reap() {
    int status;
    try {
      PosixSpawn.awaitExit(pid); // a zombie now: until it is reaped below, its pid names it and no other process
      synchronized (this) {
        reaped = true;
      }
      status = PosixSpawn.waitFor(pid);
    } catch (Throwable e) { // whoever waits must hear of it, not wait for ever
      exit.completeExceptionally(e);
      return;
    }
    exit.complete(status);
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return output;
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot wait for process " + pid, e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot wait for process " + pid, e.getCause());
    }
  }

  @Override
  public int exitValue() {
    Integer status = exit.getNow(null);
    if (status == null) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return status;
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public void destroy() {
    signal(PosixSpawn.SIGTERM);
  }

  @Override
  public Process destroyForcibly() {
    signal(PosixSpawn.SIGKILL);
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit.handle((status, failure) -> this);
  }

  /** The JDK's handle records the process's start time, so it stays true to this process once the pid is reused. */
  @Override
  public synchronized ProcessHandle toHandle() {
    if (reaped) {
      throw new IllegalStateException("process " + pid + " has ended and been reaped");
    }
    return ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("process " + pid + " is not in /proc"));
  }

  private synchronized void signal(int signal) {
    if (!reaped) {
      PosixSpawn.kill(pid, signal);
    }
  }

  /**
   * The read end of the output pipe, closed by whoever reads it (one thread: a close waits for a read in progress, so
   * the descriptor is never closed, and its number reused, under a read), or by the cleaner once nobody can.
   */
  private static final class PipeInput extends InputStream {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CHUNK = 8192;
    private final int fd;
    private final Cleaner.Cleanable closer;
    private Memory buffer;
    private boolean closed;

    PipeInput(int fd) {
      this.fd = fd;
      this.closer = CLEANER.register(this, () -> PosixSpawn.close(fd));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return 0;
      }
      if (buffer == null) {
        buffer = new Memory(CHUNK);
      }
      int n = PosixSpawn.read(fd, buffer, Math.min(len, CHUNK));
      if (n == 0) {
        return -1;
      }
      buffer.read(0, b, off, n);
      return n;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        closer.clean(); // closes the descriptor, once
        if (buffer != null) {
          buffer.close();
        }
      }
    }
  }
}
