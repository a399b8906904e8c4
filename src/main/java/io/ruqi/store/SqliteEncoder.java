package io.ruqi.store;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * How the SQLite store's JDBC client hands a statement's parameters to the driver. A time becomes text in one fixed
 * form ({@link SqliteTimes}), so that comparing two times as text compares them as times; the driver would write
 * {@code LocalDateTime.toString()}, which drops a zero second ({@code 2026-12-05T01:02}) and sorts it wrong. Named
 * by the pool's options ({@link StoreFactory}).
 */
public final class SqliteEncoder extends PlainJdbcEncoder {

  @Override
  public Object encode(Tuple input, int pos, JDBCColumnDescriptorProvider provider) throws SQLException {
    Object value = input.getValue(pos - 1);
    return value instanceof LocalDateTime time ? SqliteTimes.format(time) : super.encode(input, pos, provider);
  }
}
