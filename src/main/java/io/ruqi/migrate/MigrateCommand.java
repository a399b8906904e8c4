package io.ruqi.migrate;

import io.ruqi.config.ConfigException;
import io.ruqi.config.ConfigLoader;
import io.ruqi.config.RuqiConfig;
import io.ruqi.progress.Progress;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.ImportedHistory;
import io.ruqi.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * {@code java -jar ruqi.jar migrate --from mysql://...}: brings the jobs of a RuQi (its {@code ruqi_jobs}, pickled
 * APScheduler 3 jobs) or of an APScheduler 3 SQLAlchemyJobStore ({@code apscheduler_jobs}), and RuQi's history, into
 * the store that ruqi's configuration names. Prints what it did, job by job.
 *
 * <p>Exit codes: 0 every job migrated; 3 done, but some jobs were not (the report says why); 2 bad arguments or
 * configuration; 1 a database could not be read or written.
 */
public final class MigrateCommand {
  public static final int SOME_NOT_MIGRATED = 3;

  private MigrateCommand() {
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    MigrateOptions options;
    try {
      options = MigrateOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("ruqi migrate: " + e.getMessage());
      err.println(MigrateOptions.USAGE);
      return 2;
    }
    try {
      MigrationReport report = migrate(options, env, (what, unit) -> progress(what, unit, err));
      out.print(options.json() ? report.toJson().encodePrettily() + "\n" : report.text());
      return report.count(MigrationReport.NOT_MIGRATED) > 0 ? SOME_NOT_MIGRATED : 0;
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      err.println("ruqi migrate: " + oneLine(cause));
      return cause instanceof ConfigException || cause instanceof IllegalArgumentException ? 2 : 1;
    }
  }

  /**
   * A bar on stderr when run on a terminal; otherwise lines of counts on stderr every 10 s, so that stdout holds the
   * report alone (a script parses its --json).
   */
  static Progress progress(String what, String unit, PrintStream err) {
    return System.console() != null ? Progress.bar(what, unit, 0, Clock.systemUTC(), err)
        : Progress.lines(what, unit, 0, Clock.systemUTC(), err::println);
  }

  static MigrationReport migrate(MigrateOptions options, Map<String, String> env) throws Exception {
    return migrate(options, env, (what, unit) -> progress(what, unit, System.err));
  }

  /**
   * Runs a migration on a Vert.x of its own, waiting for each step from this plain thread; {@code progress} makes
   * what shows how far the jobs and the history are.
   */
  static MigrationReport migrate(MigrateOptions options, Map<String, String> env,
                                 BiFunction<String, String, Progress> progress) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RuqiConfig config = await(ConfigLoader.load(vertx, options.confFile(), env));
      if (options.from().sameDatabaseAs(config.storeUrl())) {
        throw new IllegalArgumentException("--from is ruqi's own store (store.url): RuQi's ruqi_jobs and ruqi's share"
            + " a name, so give ruqi a database of its own and migrate into it");
      }
      ZoneId hostZone = hostZone(options, config);
      SourceDatabase source = SourceDatabase.open(vertx, options.from());
      try {
        SourceTables tables = await(source.tables(options.table()).recover(e -> Future.failedFuture(
            e instanceof IllegalArgumentException ? e
                : new IllegalStateException("cannot read " + options.from().redacted() + ": " + e.getMessage(), e))));
        TargetApi target = await(TargetApi.start(vertx, config, Clock.systemUTC()));
        try {
          var jobs = await(new JobMigration(vertx, source, target, hostZone, Clock.systemUTC(), options.dryRun(),
              progress.apply("migrate jobs", "jobs")).run(tables));
          MigrationReport.History history = tables.history() && options.history()
              ? await(new HistoryMigration(source, new ImportedHistory(target.stores()), hostZone, options.dryRun(),
                  progress.apply("migrate history", "rows")).run())
              : null;
          return new MigrationReport(options.from().redacted(), tables.jobs(),
              StoreFactory.redacted(config.storeUrl()), options.dryRun(), jobs, history);
        } finally {
          await(target.close());
        }
      } finally {
        await(source.close());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static ZoneId hostZone(MigrateOptions options, RuqiConfig config) {
    if (options.sourceZone() == null) {
      return config.timezone();
    }
    try {
      return TimeFormats.zone(options.sourceZone(), "--source-timezone");
    } catch (RuleException e) {
      throw new IllegalArgumentException("--source-timezone: " + e.getMessage());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static String oneLine(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !out.toString().contains(root.getMessage())) {
      out.append(" (").append(root.getMessage()).append(')');
    }
    return out.toString().replaceAll("\\s+", " ");
  }
}
