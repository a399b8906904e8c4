package io.ruqi.exec;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

import java.nio.charset.StandardCharsets;

/**
 * A response body read with bounded memory. The URL of an HTTP command is the user's, so its reply may be of any
 * size; the history keeps only {@link OutputCap#MAX_CHARS} characters of it. A body up to {@link #WHOLE_LIMIT}
 * bytes is kept whole (so a JSON envelope can be inspected); past that only its head and tail are kept and the
 * bytes in between are counted.
 *
 * @param text     the whole body as UTF-8, or, when not {@code complete}, head + omission marker + tail
 * @param complete false when the body was too large to keep whole
 */
record BoundedBody(String text, boolean complete, long totalBytes) {

  static final int WHOLE_LIMIT = 1024 * 1024;
  private static final int EDGE_BYTES = OutputCap.MAX_CHARS;

  /** Use with {@code request.as(BoundedBody.codec())}. */
  static BodyCodec<BoundedBody> codec() {
    return Collector::new;
  }

  /**
   * Receives the body chunks from the web client. It never pushes back: a reply that outlives its run (a server
   * trickling bytes past the deadline) is still read to its end in bounded memory, so its connection goes back to
   * the pool when the server ends it.
   */
  private static final class Collector implements BodyStream<BoundedBody> {
    private final Promise<BoundedBody> result = Promise.promise();
    private Buffer whole = Buffer.buffer();
    private Buffer head;
    private Buffer tail;
    private long total;

    @Override
    public Future<Void> write(Buffer chunk) {
      total += chunk.length();
      if (whole != null) {
        whole.appendBuffer(chunk);
        if (whole.length() > WHOLE_LIMIT) {
          head = whole.getBuffer(0, EDGE_BYTES);
          tail = whole.getBuffer(whole.length() - EDGE_BYTES, whole.length());
          whole = null;
        }
      } else {
        tail.appendBuffer(chunk);
        if (tail.length() > EDGE_BYTES) {
          tail = tail.getBuffer(tail.length() - EDGE_BYTES, tail.length());
        }
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      if (whole != null) {
        result.tryComplete(new BoundedBody(whole.toString(StandardCharsets.UTF_8), true, total));
      } else {
        // A multi-byte character cut at either edge decodes as U+FFFD; harmless in a capped log.
        String text = OutputCap.join(head.toString(StandardCharsets.UTF_8), total - head.length() - tail.length(),
            tail.toString(StandardCharsets.UTF_8));
        result.tryComplete(new BoundedBody(text, false, total));
      }
      return Future.succeededFuture();
    }

    /** The web client reports a broken response here. */
    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<BoundedBody> result() {
      return result.future();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
