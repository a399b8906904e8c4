package io.ruqi.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration in increasing precedence: {@code conf/ruqi.yaml} (if present in the working directory),
 * then the file named on the command line, then {@code RUQI_*} environment variables.
 */
public final class ConfigLoader {
  public static final String DEFAULT_FILE = "conf/ruqi.yaml";

  private ConfigLoader() {
  }

  public static Future<RuqiConfig> load(Vertx vertx, String commandLineFile, Map<String, String> env) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (Files.isRegularFile(Path.of(DEFAULT_FILE))) {
      options.addStore(fileStore(DEFAULT_FILE));
    }
    if (commandLineFile != null) {
      if (!Files.isRegularFile(Path.of(commandLineFile))) {
        return Future.failedFuture(new ConfigException("--conf", "no such file: " + commandLineFile));
      }
      options.addStore(fileStore(commandLineFile));
    }
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(fromEnv(env)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .recover(e -> Future.failedFuture(new ConfigException(
            commandLineFile != null ? commandLineFile : DEFAULT_FILE, "cannot be read: " + rootMessage(e))))
        .map(RuqiConfig::from)
        .eventually(() -> {
          retriever.close();
          return Future.succeededFuture();
        });
  }

  private static ConfigStoreOptions fileStore(String path) {
    String format = path.endsWith(".json") ? "json" : "yaml";
    return new ConfigStoreOptions().setType("file").setFormat(format).setConfig(new JsonObject().put("path", path));
  }

  /** Nests {@code RUQI_HTTP_PORT=9000} as {@code {"http":{"port":"9000"}}}; strings are converted when bound. */
  static JsonObject fromEnv(Map<String, String> env) {
    JsonObject out = new JsonObject();
    for (String key : ConfigKeys.ALL) {
      String value = env.get(ConfigKeys.envName(key));
      if (value != null) {
        put(out, key, value);
      }
    }
    return out;
  }

  private static void put(JsonObject root, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).replaceAll("\\s+", " ");
  }
}
