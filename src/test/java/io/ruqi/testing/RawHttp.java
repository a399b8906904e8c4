package io.ruqi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP written by hand on a socket, for what no client library lets a test send: any {@code Host} header (DNS
 * rebinding), or a request that never ends (slowloris).
 */
public final class RawHttp {

  private RawHttp() {
  }

  public record Response(int status, String head, String body) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** One request with {@code Connection: close}; {@code extraHeaders} are whole lines ("Origin: x"). */
  public static Response request(int port, String method, String path, String host, String body,
                                 String... extraHeaders) {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    if (host != null) {
      req.append("Host: ").append(host).append("\r\n");
    }
    for (String h : extraHeaders) {
      req.append(h).append("\r\n");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      req.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String rest = split < 0 ? "" : text.substring(split + 4);
      return new Response(Integer.parseInt(head.split(" ")[1]), head, dechunk(head, rest));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the server closed the socket; waits for bytes up to {@code millis}, and false if none came. */
  public static boolean closedWithin(Socket socket, int millis, ByteArrayOutputStream received) throws IOException {
    socket.setSoTimeout(millis);
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[4096];
    try {
      int n = in.read(buf);
      if (n < 0) {
        return true;
      }
      received.write(buf, 0, n);
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }

  private static String dechunk(String head, String body) {
    if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      return body;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }

  /** Reads what has arrived so far as text. */
  public static String text(ByteArrayOutputStream received) {
    return received.toString(StandardCharsets.UTF_8);
  }
}
