package io.ruqi.store;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCEncoderImpl;
import io.vertx.sqlclient.Tuple;

import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * How the embedded store's JDBC client hands a statement's parameters to H2: as they are, for the types ruqi binds
 * (text, numbers, booleans, UTC times, null), which H2's setObject takes directly and which the client's own encoder
 * passes on unchanged too. That encoder first looks each parameter's SQL type up in the statement's metadata and
 * builds a debug message for it, logged or not: a claim of 500 fires binds 2,500 parameters, and in an embedded drain
 * this was about a tenth of the node's store thread. Any other type goes the client's way. The client finds this
 * class through ServiceLoader (META-INF/services/io.vertx.jdbcclient.spi.JDBCEncoder).
 */
public class PlainJdbcEncoder extends JDBCEncoderImpl {

  @Override
  public Object encode(Tuple input, int pos, JDBCColumnDescriptorProvider provider) throws SQLException {
    Object value = input.getValue(pos - 1);
    // a text that looks like a UUID stays text: the client's encoder turns it into a UUID only for a BINARY or OTHER
    // parameter, and no column of ruqi's is either
    if (value == null || value instanceof String || value instanceof Long || value instanceof Integer
        || value instanceof Double || value instanceof Boolean || value instanceof LocalDateTime) {
      return value;
    }
    return super.encode(input, pos, provider);
  }
}
