package io.ruqi.http;

import io.ruqi.openapi.SwaggerUi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web console's files (and the libraries it uses, {@link VendorFiles}), read from the jar (the classpath) once at start and served from memory. Vert.x's
 * StaticHandler looks in the working directory first, so a {@code webroot/} folder there, which anyone who can
 * write to that directory may create, replaced the console with its own pages (on ruqi's origin, with its API).
 * Here nothing comes from the file system, and paths are looked up, never resolved, so {@code ..} leads nowhere.
 * The API's page, {@code /docs/}, is served the same way, with the few files of Swagger UI it uses.
 */
final class ConsoleFiles {
  static final String ROOT = "webroot/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "json", "application/json; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8");

  private final Map<String, Buffer> files;

  private ConsoleFiles(Map<String, Buffer> files) {
    this.files = files;
  }

  /** Reads the files on a worker: a jar is read with blocking I/O. The API's page, /docs, has Swagger UI's too. */
  static Future<ConsoleFiles> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      ClassLoader loader = ConsoleFiles.class.getClassLoader();
      Map<String, Buffer> files = new HashMap<>(read(loader));
      SwaggerUi.files(loader).forEach((name, bytes) -> files.put(name, Buffer.buffer(bytes)));
      return new ConsoleFiles(Map.copyOf(files));
    });
  }

  void handle(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    String path = rc.normalizedPath();
    String name = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
    Buffer body = files.get(name);
    if (body == null || !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
      rc.next();
      return;
    }
    rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, TYPES.getOrDefault(extension(name), "application/octet-stream"))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (method.equals(HttpMethod.HEAD)) {
      rc.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      rc.response().end(body);
    }
  }

  /** The files under webroot/ on the classpath, by their path below it. */
  static Map<String, Buffer> read(ClassLoader loader) throws IOException {
    URL index = loader.getResource(ROOT + "index.html");
    if (index == null) {
      throw new IOException("the console's files are missing from the classpath (" + ROOT + "index.html)");
    }
    Map<String, Buffer> out = new HashMap<>();
    if (index.getProtocol().equals("jar")) {
      JarFile jar = ((JarURLConnection) index.openConnection()).getJarFile();
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().startsWith(ROOT) && !entry.isDirectory()) {
          try (InputStream in = jar.getInputStream(entry)) {
            out.put(entry.getName().substring(ROOT.length()), Buffer.buffer(in.readAllBytes()));
          }
        }
      }
    } else {
      Path root;
      try {
        root = Path.of(index.toURI()).getParent();
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
      try (Stream<Path> paths = Files.walk(root)) {
        paths.filter(Files::isRegularFile).forEach(p -> {
          try {
            out.put(root.relativize(p).toString().replace('\\', '/'), Buffer.buffer(Files.readAllBytes(p)));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
    out.putAll(VendorFiles.read(loader));
    return Map.copyOf(out);
  }

  private static String extension(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
