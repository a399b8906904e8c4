package io.ruqi.store;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCDecoderImpl;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * How the SQLite store's JDBC client reads a value: as SQLite holds it (Integer or Long, Double, String, null), and a
 * DATETIME column's text as a LocalDateTime. The client's own decoder read a computed REAL (a MIN, a difference) as a
 * Float, seven digits: an epoch second off by a minute. Named by the pool's options ({@link StoreFactory}).
 */
public final class SqliteDecoder extends JDBCDecoderImpl {
  /** The result set whose DATETIME columns {@link #times} holds: one connection reads one result set at a time. */
  private ResultSet timesOf;
  private boolean[] times;

  @Override
  public synchronized Object parse(ResultSet rs, int pos, JDBCColumnDescriptorProvider provider) throws SQLException {
    Object value = rs.getObject(pos);
    if (value instanceof String text && isTime(rs, pos)) {
      return SqliteTimes.parse(text);
    }
    return value;
  }

  private boolean isTime(ResultSet rs, int pos) throws SQLException {
    if (rs != timesOf) {
      ResultSetMetaData meta = rs.getMetaData();
      times = new boolean[meta.getColumnCount() + 1];
      for (int i = 1; i < times.length; i++) {
        String declared = meta.getColumnTypeName(i);
        times[i] = declared != null && declared.toUpperCase(Locale.ROOT).startsWith("DATETIME");
      }
      timesOf = rs;
    }
    return times[pos];
  }
}
