package io.ruqi.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * An API request made inside this node, by the HTTP bridge, with the caller it authenticated. It travels on the
 * event bus as this object, never as bytes: its codec refuses to be written to or read from the wire, so no
 * cluster peer can make one and choose the name the audit records. A request from the cluster is a plain
 * {@link JsonObject}, and its caller is {@code eventbus}.
 *
 * @param caller the token's name, or "anonymous" on an open service
 */
public record LocalCall(String caller, JsonObject params) {

  /** Registered by the sender, the HTTP bridge, for as long as it runs (it may run before the API is there). */
  public static final class Codec implements MessageCodec<LocalCall, LocalCall> {
    static final String NAME = "ruqi-local-call";

    @Override
    public void encodeToWire(Buffer buffer, LocalCall call) {
      throw new IllegalStateException("an API call made inside a node is never sent to another node");
    }

    @Override
    public LocalCall decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("a local API call cannot arrive from the cluster");
    }

    @Override
    public LocalCall transform(LocalCall call) {
      return call;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
