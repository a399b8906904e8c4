package io.ruqi.store;

import io.vertx.jdbcclient.spi.JDBCColumnDescriptorProvider;
import io.vertx.jdbcclient.spi.JDBCEncoder;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedded store's parameters go to H2 as ruqi bound them, without the JDBC client's per-parameter lookups. */
class PlainJdbcEncoderTest {

  @Test
  void the_jdbc_client_finds_it() {
    assertInstanceOf(PlainJdbcEncoder.class, ServiceLoader.load(JDBCEncoder.class).findFirst().orElseThrow());
  }

  @Test
  void the_types_ruqi_binds_pass_as_they_are_without_a_metadata_lookup() throws SQLException {
    AtomicInteger lookups = new AtomicInteger();
    JDBCColumnDescriptorProvider provider = pos -> {
      lookups.incrementAndGet();
      throw new SQLException("looked up");
    };
    LocalDateTime at = LocalDateTime.of(2026, 12, 5, 1, 2, 3, 4_000_000);
    // a job id that looks like a UUID stays the text it is
    Tuple args = Tuple.of("0F8FAD5B-D9CB-469F-A165-70867728950E", 7L, 3, 1.5, true, at).addValue(null);
    PlainJdbcEncoder encoder = new PlainJdbcEncoder();
    for (int pos = 1; pos <= args.size(); pos++) {
      assertEquals(args.getValue(pos - 1), encoder.encode(args, pos, provider));
    }
    assertEquals(0, lookups.get());
    // any other type goes the client's way, which asks for the parameter's type
    assertThrows(SQLException.class, () -> encoder.encode(Tuple.of(LocalDate.of(2026, 12, 5)), 1, provider));
    assertEquals(1, lookups.get());
  }
}
