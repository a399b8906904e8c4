package io.ruqi.api;

import io.ruqi.progress.Progress;
import io.ruqi.schedule.CalendarRule;
import io.ruqi.store.DuplicateJobException;
import io.ruqi.store.Job;
import io.ruqi.store.JobQuery;
import io.ruqi.store.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code job_export} and {@code job_import}. An exported job is the parameters of {@code job_add} (plus
 * {@code paused} and {@code state}), so an export can be imported elsewhere, or edited and imported back. Import
 * is an upsert that is idempotent (importing the same file twice changes nothing the second time), validates every
 * job before it writes any, and has a dry run that says what would change. An export is paged like the lists
 * ({@link Paging}, a whole page by default), so a large store cannot fill the heap; each page imports as it is.
 */
final class JobTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(JobTransfer.class);
  static final int MAX_JOBS = 10_000;
  /** Jobs an import reads at once to compare with what it brings. */
  private static final int LOOKUPS_AT_ONCE = 16;
  /** Jobs at fault that a refused import names (it counts them all). */
  private static final int SHOWN_ERRORS = 20;
  private static final List<String> RESETTABLE = List.of("timezone", "start_date", "end_date",
      JobOptionsReader.MISFIRE_GRACE_TIME, JobOptionsReader.COALESCE, JobOptionsReader.MAX_INSTANCES,
      JobOptionsReader.TIMEOUT, JobOptionsReader.RETRIES, JobOptionsReader.RETRY_BACKOFF, JobOptionsReader.JITTER,
      JobOptionsReader.KEEP_DONE, CalendarRule.CALENDAR, CalendarRule.MODE, JobOptionsReader.ON_SUCCESS,
      JobOptionsReader.ON_FAILURE, JobOptionsReader.RUN_ON, JobOptionsReader.BROADCAST);

  private final JobStore store;
  private final JobCommands commands;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final Paging paging;
  private final Vertx vertx;

  JobTransfer(Vertx vertx, JobStore store, JobCommands commands, Clock clock, ZoneId serviceZone, Paging paging) {
    this.vertx = vertx;
    this.store = store;
    this.commands = commands;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.paging = paging;
  }

  Future<Object> export(Params p) {
    Paging.Page page = paging.read(p, MAX_JOBS);
    JobQuery query = new JobQuery(blankToNull(p.optionalString("job_id", Params.MAX_ID_LENGTH)),
        blankToNull(p.optionalString("job_name", Params.MAX_ID_LENGTH)), page.index(), page.size(),
        page.exactTotal());
    return store.list(query).map(rows -> {
      JsonArray jobs = new JsonArray();
      rows.items().forEach(job -> jobs.add(exported(job)));
      return page.reply(rows.total(), rows.exact(), "jobs", jobs);
    });
  }

  /** The job as job_add parameters: rules as listed, dates in the job's zone, its own options only. */
  private JsonObject exported(Job job) {
    JsonObject out = new JsonObject()
        .put("job_id", job.id())
        .put("job_name", job.name())
        .put("job_trigger", job.trigger())
        .put("rule", job.rule())
        .put("cmd", job.cmd())
        .put("timezone", job.zone().getId());
    if (job.startDate() != null) {
      out.put("start_date", JobView.format(job.startDate(), job.zone()));
    }
    if (job.endDate() != null) {
      out.put("end_date", JobView.format(job.endDate(), job.zone()));
    }
    out.mergeIn(job.options());
    return out.put("paused", job.paused()).put("state", JobView.state(job));
  }

  Future<Object> importJobs(Params p) {
    if (!(p.value("jobs") instanceof JsonArray jobs)) {
      throw ApiException.badParams("jobs must be a list of jobs (as job_export gives them)");
    }
    if (jobs.size() > MAX_JOBS) {
      throw ApiException.badParams("at most " + MAX_JOBS + " jobs per import (got " + jobs.size() + ")");
    }
    boolean dryRun = Boolean.TRUE.equals(p.optionalBool("dry_run"));
    return existing(jobs).compose(existing -> {
      List<Job> plans = plan(jobs, existing);
      JsonObject report = report(plans, existing).put("dry_run", dryRun);
      // a calendar named must exist, and a chain as job_add checks it, before anything is written (a dry run too)
      return commands.calendars.exist(plans.stream().map(Job::options).toList())
          .compose(v -> chainsChecked(plans, existing))
          .compose(v -> dryRun ? Future.succeededFuture(report) : write(p, plans, existing, report));
    });
  }

  /** The stored jobs that the import names (not the whole store, which may hold a million). */
  private Future<Map<String, Job>> existing(JsonArray jobs) {
    List<String> ids = new ArrayList<>();
    for (Object job : jobs) {
      if (job instanceof JsonObject o && o.getValue("job_id") instanceof String id) {
        ids.add(id);
      }
    }
    return stored(ids).map(found -> {
      Map<String, Job> byOwnId = new HashMap<>();
      found.values().forEach(job -> byOwnId.put(job.id(), job));
      return byOwnId;
    });
  }

  /**
   * The stored jobs of these ids (those that exist), read {@link #LOOKUPS_AT_ONCE} at a time, by the id asked
   * (MariaDB compares ids without case: a job found for "X" may be "x").
   */
  private Future<Map<String, Job>> stored(List<String> ids) {
    Map<String, Job> found = new HashMap<>();
    Future<Void> reads = Future.succeededFuture();
    for (int from = 0; from < ids.size(); from += LOOKUPS_AT_ONCE) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + LOOKUPS_AT_ONCE));
      reads = reads.compose(v -> Future.all(batch.stream().map(store::find).toList()).map(all -> {
        for (int i = 0; i < batch.size(); i++) {
          Job job = all.resultAt(i);
          if (job != null) {
            found.put(batch.get(i), job);
          }
        }
        return null;
      }));
    }
    return reads.map(found);
  }

  /** Every job validated and turned into what would be stored; any invalid job rejects the whole import. */
  private List<Job> plan(JsonArray jobs, Map<String, Job> existing) {
    Instant now = clock.instant();
    List<Job> plans = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      String where = "jobs[" + i + "]";
      try {
        if (!(jobs.getValue(i) instanceof JsonObject values)) {
          throw ApiException.badParams("must be a job object");
        }
        Params jp = Params.exportedJob(values);
        String id = jp.requiredId("job_id");
        where += " (" + id + ")";
        if (seen.put(id, i) != null) {
          throw ApiException.invalid("job_id appears twice in this import");
        }
        boolean paused = Boolean.TRUE.equals(jp.optionalBool("paused"));
        boolean done = JobView.DONE.equals(jp.optionalString("state", 16));
        Job current = existing.get(id);
        JobDraft draft = current == null ? commands.reader.forAdd(jp, now)
            : commands.reader.forModify(Params.exportedJob(withResets(values)), current, now);
        plans.add(commands.planned(draft, current, paused, done, now));
      } catch (ApiException e) {
        errors.add(where + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw rejected(errors, jobs.size());
    }
    return plans;
  }

  /**
   * Every imported job's on_success / on_failure checked as job_add checks them (each job named exists, no cycle),
   * over the jobs as they will be: the import's own, and the store's for the rest, read first, level by level. The
   * jobs on a cycle are found once for the whole graph ({@link ChainCycles}), and only the first jobs at fault are
   * walked to name their path, on a worker thread (CPU work on up to 10,000 jobs, which the event loop must not do).
   * Any failure rejects the whole import, counting every job at fault and naming the first 20.
   */
  private Future<Void> chainsChecked(List<Job> plans, Map<String, Job> existing) {
    Map<String, JsonObject> options = new HashMap<>();
    plans.forEach(plan -> options.put(plan.id(), plan.options()));
    List<String> named = plans.stream().flatMap(plan -> ChainCheck.children(plan.options()).stream()).toList();
    if (named.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> read = Promise.promise();
    readChains(named, options, new HashSet<>(options.keySet()), read);
    return read.future().compose(v -> vertx.executeBlocking(() -> {
      Function<String, List<String>> children = id -> ChainCheck.children(options.get(id));
      Set<String> onCycle = ChainCycles.among(plans.stream().map(Job::id).toList(), children);
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        Job plan = plans.get(i);
        // a job the store holds may keep naming a job removed since (job_remove leaves the names, job_modify
        // checks only what it sets): an import of it as exported is refused only for the names it adds
        Job current = existing.get(plan.id());
        Set<String> kept = current == null ? Set.of() : new HashSet<>(ChainCheck.children(current.options()));
        Function<String, Future<JsonObject>> optionsOf = id -> Future.succeededFuture(options.containsKey(id)
            ? options.get(id) : kept.contains(id) ? new JsonObject() : null);
        boolean missing = children.apply(plan.id()).stream()
            .anyMatch(child -> !options.containsKey(child) && !kept.contains(child));
        if (!missing && !onCycle.contains(plan.id())) {
          continue;
        }
        if (errors.size() >= SHOWN_ERRORS) {
          errors.add("jobs[" + i + "] (" + plan.id() + ")"); // counted, not shown: its walk would cost in vain
          continue;
        }
        // every option is at hand: the walk completes here, without a read, and names the path as job_add does
        Future<Void> check = ChainCheck.check(optionsOf, plan.id(), plan.options());
        if (check.failed() && check.cause() instanceof ApiException refused) {
          errors.add("jobs[" + i + "] (" + plan.id() + "): " + refused.getMessage());
        }
      }
      return errors;
    }, false)).compose(errors -> errors.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(rejected(errors, plans.size())));
  }

  /**
   * Reads the stored jobs that {@code ids} name and those their chains name in turn, into {@code options}, each
   * once, without replacing an imported job's; one promise ends it, so that a long chain never deepens the stack.
   */
  private void readChains(List<String> ids, Map<String, JsonObject> options, Set<String> seen, Promise<Void> done) {
    List<String> unread = ids.stream().filter(seen::add).toList();
    if (unread.isEmpty()) {
      done.complete();
      return;
    }
    stored(unread).onFailure(done::fail).onSuccess(found -> {
      List<String> next = new ArrayList<>();
      found.forEach((asked, job) -> {
        options.putIfAbsent(asked, job.options());
        next.addAll(ChainCheck.children(job.options()));
      });
      readChains(next, options, seen, done);
    });
  }

  /** The whole import refused, naming the first {@link #SHOWN_ERRORS} jobs at fault. */
  private static ApiException rejected(List<String> errors, int jobs) {
    return ApiException.invalid(errors.size() + " of " + jobs + " jobs cannot be imported, so none was: "
        + String.join("; ", errors.subList(0, Math.min(errors.size(), SHOWN_ERRORS)))
        + (errors.size() > SHOWN_ERRORS ? "; ..." : ""));
  }

  /** An import defines a job fully: what it leaves out is the default, not what the stored job had. */
  private static JsonObject withResets(JsonObject values) {
    JsonObject out = values.copy();
    for (String key : RESETTABLE) {
      if (!out.containsKey(key)) {
        out.putNull(key);
      }
    }
    return out;
  }

  private static JsonObject report(List<Job> plans, Map<String, Job> existing) {
    JsonArray added = new JsonArray();
    JsonArray modified = new JsonArray();
    JsonArray unchanged = new JsonArray();
    for (Job plan : plans) {
      Job current = existing.get(plan.id());
      (current == null ? added : sameDefinition(plan, current) ? unchanged : modified).add(plan.id());
    }
    return new JsonObject().put("added", added).put("modified", modified).put("unchanged", unchanged);
  }

  private Future<Object> write(Params p, List<Job> plans, Map<String, Job> existing, JsonObject report) {
    List<Job> changes = plans.stream()
        .filter(plan -> existing.get(plan.id()) == null || !sameDefinition(plan, existing.get(plan.id()))).toList();
    // thousands of jobs, each written and audited durably, take a while: the log says how far the import is
    Progress progress = Progress.lines("job_import", "jobs", changes.size(), clock, LOG::info);
    JsonArray conflicts = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (Job plan : changes) {
      Job current = existing.get(plan.id());
      // each job with its audit row, in one transaction, as a job_add or a job_modify writes it
      chain = chain.compose(v -> commands.notFiredAgain(current, plan)).compose(job -> (current == null
              ? store.insert(job, commands.audit.row(p, job.id(), null, job)).map(x -> true)
              : store.update(job, commands.audit.row(p, job.id(), current, job)))
          .recover(e -> e instanceof DuplicateJobException ? Future.succeededFuture(false) : Future.failedFuture(e))
          .map(written -> {
            progress.advance(1);
            if (!written) {
              conflicts.add(job.id());
            } else {
              commands.changed(job, current == null ? "added" : "modified");
            }
            return null;
          }));
    }
    return chain.eventually(() -> {
      progress.finish();
      return Future.succeededFuture();
    }).map(v -> report.put("conflicts", conflicts));
  }

  private static boolean sameDefinition(Job a, Job b) {
    return a.name().equals(b.name()) && a.trigger().equals(b.trigger()) && a.rule().equals(b.rule())
        && a.cmd().equals(b.cmd()) && a.zone().equals(b.zone()) && Objects.equals(a.startDate(), b.startDate())
        && Objects.equals(a.endDate(), b.endDate()) && a.options().equals(b.options()) && a.paused() == b.paused()
        && (a.nextRunTime() == null) == (b.nextRunTime() == null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
