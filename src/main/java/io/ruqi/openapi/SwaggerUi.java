package io.ruqi.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The files of Swagger UI that /docs uses, from its WebJar on the classpath (inside ruqi's jar), by the path
 * /docs serves them under. Only these few are read: the WebJar also holds source maps and other bundles (4 MB).
 */
public final class SwaggerUi {
  static final String PREFIX = "docs/swagger-ui/";
  private static final List<String> FILES = List.of("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png");

  private SwaggerUi() {
  }

  /** Blocking: call it off the event loop. */
  public static Map<String, byte[]> files(ClassLoader loader) throws IOException {
    String root = "META-INF/resources/webjars/swagger-ui/" + version(loader) + "/";
    Map<String, byte[]> out = new HashMap<>();
    for (String name : FILES) {
      try (InputStream in = loader.getResourceAsStream(root + name)) {
        if (in == null) {
          throw new IOException("Swagger UI's " + root + name + " is missing from the classpath");
        }
        out.put(PREFIX + name, in.readAllBytes());
      }
    }
    return out;
  }

  /** The WebJar's version, from the Maven properties it carries (the path of its files has it). */
  private static String version(ClassLoader loader) throws IOException {
    try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IOException("Swagger UI's WebJar is missing from the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }
}
