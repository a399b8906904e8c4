package io.ruqi.http;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The browser libraries the console uses, taken from their WebJars on the classpath and served under
 * {@code vendor/}: only the files named here, so a WebJar's other files (sources, maps, READMEs) are not served, and
 * the version comes from the WebJar itself, so the pom is the one place that names it.
 */
final class VendorFiles {
  /** The served name below {@code vendor/} → the file in the WebJar, below its version's folder. */
  private static final Map<String, String> UPLOT = Map.of(
      "uplot/uPlot.esm.js", "dist/uPlot.esm.js",
      "uplot/uPlot.min.css", "dist/uPlot.min.css",
      "uplot/LICENSE", "LICENSE");

  private VendorFiles() {
  }

  static Map<String, Buffer> read(ClassLoader loader) throws IOException {
    Map<String, Buffer> out = new HashMap<>();
    String root = "META-INF/resources/webjars/uplot/" + version(loader, "org.webjars.npm", "uplot") + "/";
    for (Map.Entry<String, String> file : UPLOT.entrySet()) {
      out.put("vendor/" + file.getKey(), resource(loader, root + file.getValue()));
    }
    return out;
  }

  private static String version(ClassLoader loader, String group, String artifact) throws IOException {
    Properties pom = new Properties();
    try (InputStream in = loader.getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in == null) {
        throw new IOException("the WebJar " + group + ":" + artifact + " is missing from the classpath");
      }
      pom.load(in);
    }
    return pom.getProperty("version");
  }

  private static Buffer resource(ClassLoader loader, String path) throws IOException {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException(path + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    }
  }
}
