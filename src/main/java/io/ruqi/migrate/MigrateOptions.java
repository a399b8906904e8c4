package io.ruqi.migrate;

import java.util.Map;

/**
 * {@code migrate --from mysql://user:pass@host/db [--dry-run] [--table NAME] [--source-timezone ZONE] [--no-history]
 * [--json] [--conf FILE]}; the source may come from {@code RUQI_MIGRATE_FROM} instead, to keep its password out of
 * the process list.
 *
 * @param sourceZone the zone of RuQi's naive times (its host's); null: ruqi's {@code timezone}
 */
record MigrateOptions(SourceUrl from, String confFile, boolean dryRun, String table, String sourceZone,
                      boolean history, boolean json) {
  static final String FROM_ENV = "RUQI_MIGRATE_FROM";
  static final String USAGE = "usage: java -jar ruqi.jar migrate --from mysql://user:password@host:3306/db"
      + " [--dry-run] [--table NAME] [--source-timezone ZONE] [--no-history] [--json] [--conf FILE]"
      + "   (or the source in RUQI_MIGRATE_FROM)";

  static MigrateOptions parse(String[] args, Map<String, String> env) {
    String from = env.get(FROM_ENV);
    String conf = null;
    String table = null;
    String zone = null;
    boolean dryRun = false;
    boolean history = true;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
      String name = value != null ? a.substring(0, a.indexOf('=')) : a;
      switch (name) {
        case "--dry-run" -> dryRun = true;
        case "--no-history" -> history = false;
        case "--json" -> json = true;
        case "--from", "--conf", "-conf", "-c", "--table", "--source-timezone" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          switch (name) {
            case "--from" -> from = value;
            case "--table" -> table = value;
            case "--source-timezone" -> zone = value;
            default -> conf = value;
          }
        }
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return new MigrateOptions(SourceUrl.parse(from), conf, dryRun, table, zone, history, json);
  }
}
