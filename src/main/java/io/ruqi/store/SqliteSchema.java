package io.ruqi.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * schema.sql's statements in SQLite's words, so that the one file stays the schema of every store. SQLite takes
 * MySQL's column types as they are (by affinity: a DATETIME(3) holds the text {@link SqliteEncoder} writes); what
 * it lacks is said otherwise: an index declared in its table ({@code KEY}, {@code UNIQUE KEY}) becomes a CREATE
 * INDEX of its own, an AUTO_INCREMENT key an INTEGER PRIMARY KEY AUTOINCREMENT (never reusing an id, as InnoDB),
 * the table options go, and a table keyed by anything else is WITHOUT ROWID (its rows live in the primary key's
 * tree, as InnoDB's do, instead of a second tree beside it).
 */
final class SqliteSchema {
  private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^CREATE TABLE IF NOT EXISTS (\\w+) \\((.*)\\)[^)]*$");
  private static final Pattern KEY = Pattern.compile("(?i)^(UNIQUE )?KEY (\\w+) (\\(.*\\))$");
  private static final Pattern AUTO_INCREMENT = Pattern.compile("(?i)^(\\w+)\\s+BIGINT\\s+NOT NULL\\s+AUTO_INCREMENT$");
  private static final Pattern PRIMARY_KEY = Pattern.compile("(?i)^PRIMARY KEY \\((\\w+)\\)$");

  private SqliteSchema() {
  }

  static List<String> statements(String mysql) {
    Matcher table = CREATE_TABLE.matcher(mysql);
    if (table.matches()) {
      return createTable(table.group(1), table.group(2));
    }
    if (mysql.regionMatches(true, 0, "CREATE INDEX ", 0, 13)) {
      return List.of("CREATE INDEX IF NOT EXISTS " + mysql.substring(13));
    }
    if (mysql.regionMatches(true, 0, "INSERT IGNORE ", 0, 14)) {
      return List.of("INSERT OR IGNORE " + mysql.substring(14));
    }
    return List.of(mysql);
  }

  private static List<String> createTable(String name, String body) {
    List<String> columns = new ArrayList<>();
    List<String> indexes = new ArrayList<>();
    String autoIncrement = null;
    boolean rowid = true;
    for (String part : body.split(",\\s*\\n")) {
      String line = part.strip();
      Matcher key = KEY.matcher(line);
      Matcher auto = AUTO_INCREMENT.matcher(line);
      if (key.matches()) {
        indexes.add("CREATE " + (key.group(1) == null ? "" : "UNIQUE ") + "INDEX IF NOT EXISTS " + key.group(2)
            + " ON " + name + " " + key.group(3));
      } else if (auto.matches()) {
        autoIncrement = auto.group(1);
        columns.add(autoIncrement + " INTEGER PRIMARY KEY AUTOINCREMENT");
      } else if (line.regionMatches(true, 0, "PRIMARY KEY ", 0, 12)) {
        Matcher pk = PRIMARY_KEY.matcher(line);
        if (!(pk.matches() && pk.group(1).equals(autoIncrement))) {
          columns.add(line);
          rowid = false;
        }
      } else {
        columns.add(line);
      }
    }
    List<String> out = new ArrayList<>();
    out.add("CREATE TABLE IF NOT EXISTS " + name + " (\n  " + String.join(",\n  ", columns) + "\n)"
        + (rowid ? "" : " WITHOUT ROWID"));
    out.addAll(indexes);
    return out;
  }
}
