package io.ruqi.testing;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * RuQi's and APScheduler's job tables with real pickles, made in a database of the shared test MariaDB by
 * {@code src/test/resources/migrate/make_fixtures.py} with Debian's python3-apscheduler (installed by
 * scripts/setup.sh for /usr/bin/python3). Answers what the script printed: each job's expected fate and
 * APScheduler's own fire times.
 */
public final class ApschedulerFixtures {
  static final String PYTHON = "/usr/bin/python3";

  private ApschedulerFixtures() {
  }

  public static JsonObject make(String databaseUrl) throws Exception {
    String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
    Path script = Path.of(ApschedulerFixtures.class.getResource("/migrate/make_fixtures.py").toURI());
    Process python = new ProcessBuilder(PYTHON, script.toString(), "127.0.0.1",
        Integer.toString(MariaDbServer.shared().port()), "ruqi", "ruqi", database)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = python.getInputStream().readAllBytes();
    if (!python.waitFor(120, TimeUnit.SECONDS) || python.exitValue() != 0) {
      throw new IllegalStateException("make_fixtures.py failed (python3-apscheduler, -sqlalchemy and -pymysql are"
          + " installed by scripts/setup.sh): " + new String(out, StandardCharsets.UTF_8));
    }
    return new JsonObject(new String(out, StandardCharsets.UTF_8));
  }
}
