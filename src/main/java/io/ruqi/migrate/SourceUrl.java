package io.ruqi.migrate;

import io.ruqi.store.StoreHosts;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The database to migrate from, {@code mysql://user:password@host[:port]/database} (RuQi's MySQL, or the database of
 * an APScheduler 3 SQLAlchemyJobStore). It is only read.
 */
record SourceUrl(String url, MySQLConnectOptions options) {

  static SourceUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("--from needs the source database, mysql://user:password@host:3306/db");
    }
    String text = url.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("mysql+pymysql://") || lower.startsWith("mysql+mysqldb://")) {
      text = "mysql://" + text.substring(text.indexOf("://") + 3); // SQLAlchemy's spelling, as flask apps write it
    } else if (!lower.startsWith("mysql://")) {
      throw new IllegalArgumentException("--from must be a mysql:// URL (RuQi's MySQL or an APScheduler"
          + " SQLAlchemyJobStore on MySQL/MariaDB), not " + redact(text));
    }
    MySQLConnectOptions options;
    try {
      options = MySQLConnectOptions.fromUri(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--from " + redact(text) + " is not a valid URL: " + e.getMessage());
    }
    if (options.getDatabase() == null || options.getDatabase().isEmpty()) {
      throw new IllegalArgumentException("--from must name the database: mysql://user:password@host:3306/db");
    }
    options.setCharset("utf8mb4").setCollation("utf8mb4_general_ci");
    return new SourceUrl(text, options);
  }

  String redacted() {
    return redact(url);
  }

  /**
   * Whether {@code storeUrl} (ruqi's store) is this very database: RuQi's {@code ruqi_jobs} and ruqi's share a name,
   * so migrating a database into itself would meet RuQi's table where ruqi's should be.
   */
  boolean sameDatabaseAs(String storeUrl) {
    if (storeUrl == null || !storeUrl.startsWith("mysql://")) {
      return false;
    }
    List<MySQLConnectOptions> members;
    try {
      members = StoreHosts.parse(storeUrl);
    } catch (IllegalArgumentException e) {
      return false; // opening the store says what is wrong with its URL
    }
    // any member of a Galera store is the store
    return members.stream().anyMatch(store -> host(store.getHost()).equals(host(options.getHost()))
        && store.getPort() == options.getPort() && Objects.equals(store.getDatabase(), options.getDatabase()));
  }

  private static String host(String h) {
    String lower = h == null ? "" : h.toLowerCase(Locale.ROOT);
    return lower.equals("localhost") || lower.equals("::1") || lower.startsWith("127.") ? "loopback" : lower;
  }

  static String redact(String url) {
    return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
  }
}
