package io.ruqi.config;

/** A configuration value that cannot be used; the message names the key, so start-up can fail in one line. */
public class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String reason) {
    super(key + ": " + reason);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
