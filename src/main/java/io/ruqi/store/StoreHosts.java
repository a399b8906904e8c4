package io.ruqi.store;

import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The database hosts of a {@code store.url}: {@code mysql://user:pass@db1:3306,db2:3306,db3:3306/ruqi} names the
 * members of a Galera cluster, of which a node uses one at a time ({@link FailoverPool}). The driver's own URL parser
 * takes one host only, so each member becomes a URL of its own, with the same user, password, database and options.
 */
public final class StoreHosts {
  private static final String SCHEME = "mysql://";

  private StoreHosts() {
  }

  /** One connect options per host, in the URL's order; throws IllegalArgumentException saying what is wrong. */
  public static List<MySQLConnectOptions> parse(String url) {
    List<MySQLConnectOptions> out = new ArrayList<>();
    for (String one : singleHostUrls(url)) {
      MySQLConnectOptions options;
      try {
        options = MySQLConnectOptions.fromUri(one);
      } catch (RuntimeException e) {
        // the driver's message repeats the URL, password and all
        throw new IllegalArgumentException("cannot read " + StoreFactory.redacted(one) + ": "
            + StoreFactory.redacted(String.valueOf(e.getMessage())));
      }
      if (options.getDatabase() == null || options.getDatabase().isEmpty()) {
        throw new IllegalArgumentException("name the database: mysql://user:password@host:3306/ruqi");
      }
      out.add(options);
    }
    return out;
  }

  /** {@code mysql://u:p@a:1,b:2/db?x} as {@code mysql://u:p@a:1/db?x} and {@code mysql://u:p@b:2/db?x}. */
  static List<String> singleHostUrls(String url) {
    if (!url.startsWith(SCHEME)) {
      throw new IllegalArgumentException("expected mysql://user:password@host:port/database");
    }
    String rest = url.substring(SCHEME.length());
    // neither the user nor the password holds a '/' or an '@' (the driver's parser takes neither), so the path
    // starts at the first '/' and the hosts after the '@' before it
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
    String user = at < 0 ? "" : rest.substring(0, at + 1);
    String hosts = rest.substring(at + 1, slash < 0 ? rest.length() : slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    List<String> out = new ArrayList<>();
    for (String host : hosts.split(",", -1)) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("an empty host in the list '" + hosts
            + "': write host:port,host:port,... (e.g. db1:3306,db2:3306,db3:3306)");
      }
      if (out.contains(SCHEME + user + host.strip() + path)) {
        throw new IllegalArgumentException("the host " + host.strip() + " is listed twice");
      }
      out.add(SCHEME + user + host.strip() + path);
    }
    return out;
  }

  /** {@code host:port} of a member, for logs and status. */
  public static String name(MySQLConnectOptions options) {
    return options.getHost() + ":" + options.getPort();
  }
}
