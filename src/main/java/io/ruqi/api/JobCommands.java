package io.ruqi.api;

import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.ScriptCheck;
import io.ruqi.schedule.CalendarRule;
import io.ruqi.schedule.LineRule;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.Trigger;
import io.ruqi.schedule.Triggers;
import io.ruqi.store.DuplicateJobException;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.store.StoreErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** The operations that change jobs. Each validates fully before it writes, so a rejected request changes nothing. */
final class JobCommands {
  /** How often an edit that raced another edit is re-read and re-applied before it gives up with a conflict. */
  private static final int ATTEMPTS = 5;

  private final JobStore store;
  private final ScriptCheck scripts;
  final JobDraftReader reader;
  private final JobChanges changes;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final Duration defaultGrace;
  final AuditLog audit;
  final CalendarCommands calendars;

  JobCommands(JobStore store, JobChanges changes, AuditLog audit, CommandPolicy policy, ScriptCheck scripts,
              Clock clock, ZoneId serviceZone, Duration defaultGrace, CalendarCommands calendars) {
    this.calendars = calendars;
    this.audit = audit;
    this.scripts = scripts;
    this.store = store;
    this.reader = new JobDraftReader(serviceZone, policy);
    this.changes = changes;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.defaultGrace = defaultGrace;
  }

  Future<Object> add(Params p) {
    if (!p.has("job_id") && p.has("name")) {
      return addLegacy(p);
    }
    Instant now = clock.instant();
    JobDraft draft = reader.forAdd(p, now);
    Job job = newJob(draft, now);
    return scriptExists(draft).compose(v -> calendars.exists(draft.options()))
        .compose(v -> ChainCheck.check(store, job.id(), job.options()))
        .compose(v -> notAFiredDate(job, now))
        .compose(v -> store.insert(job, audit.row(p, job.id(), null, job)))
        .recover(e -> Future.failedFuture(e instanceof DuplicateJobException
            ? ApiException.duplicate(e.getMessage()) : e))
        .map(v -> changed(job, "added"));
  }

  /** RuQi 2.0 / 2019: {@code {rule, cmd, name[, trigger]}}; the name is the job_id and an existing job is replaced. */
  private Future<Object> addLegacy(Params p) {
    String name = p.requiredId("name");
    JsonObject values = new JsonObject()
        .put("job_id", name)
        .put("job_name", name)
        .put("job_trigger", p.has("trigger") ? p.requiredString("trigger", 16) : "cron")
        .put("rule", p.requiredString("rule", JobDraftReader.MAX_RULE_LENGTH))
        .put("cmd", p.requiredString("cmd", JobDraftReader.MAX_CMD_LENGTH));
    Params legacy = p.as(ApiOp.JOB_ADD, values);
    Instant now = clock.instant();
    JobDraft draft = reader.forAdd(legacy, now);
    return scriptExists(draft).compose(v -> store.find(name)).compose(existing -> {
      if (existing == null) {
        Job job = newJob(draft, now);
        return notAFiredDate(job, now).compose(v -> store.insert(job, audit.row(p, job.id(), null, job)))
            .map(v -> changed(job, "added"));
      }
      return mutate(p, name, null, current -> definedBy(reader.forModify(legacy, current, now), current, now))
          .map(job -> changed(job, "modified"));
    });
  }

  Future<Object> addByLine(Params p) {
    String line = p.requiredString("line", JobDraftReader.MAX_RULE_LENGTH + JobDraftReader.MAX_CMD_LENGTH);
    LineRule parsed;
    try {
      parsed = LineRule.parse(line);
    } catch (RuleException e) {
      throw ApiException.invalid(e.getMessage());
    }
    String id = p.optionalId("job_id");
    String name = p.optionalId("job_name");
    JsonObject values = copyOf(p)
        .put("job_id", id != null ? id : LineRule.deriveJobId(parsed))
        .put("job_name", name != null ? name : "default")
        .put("job_trigger", parsed.type())
        .put("rule", parsed.rule())
        .put("cmd", parsed.cmd());
    return add(p.as(ApiOp.JOB_ADD, values));
  }

  Future<Object> modify(Params p) {
    String id = p.requiredId("job_id");
    Long version = expectedVersion(p);
    Instant now = clock.instant();
    return newScriptExists(p, id, now).compose(v -> newCalendarExists(p)).compose(v -> newChainChecked(p, id, now))
        .compose(v -> mutate(p, id, version, current -> definedBy(reader.forModify(p, current, now), current, now)))
        .map(job -> changed(job, "modified"));
  }

  /** A calendar a modify names must exist (one the job named already is not checked again). */
  private Future<Void> newCalendarExists(Params p) {
    String name = p.isNull(CalendarRule.CALENDAR) ? null : p.optionalString(CalendarRule.CALENDAR,
        ApiContract.CALENDAR.maxLength());
    return name == null ? Future.succeededFuture()
        : calendars.exists(new JsonObject().put(CalendarRule.CALENDAR, name.strip()));
  }

  /** A script the draft's cmd runs must exist (as RuQi checked); refused with ERR, naming it, when it does not. */
  private Future<Void> scriptExists(JobDraft draft) {
    if (draft.options().containsKey(JobOptionsReader.RUN_ON)
        || draft.options().containsKey(JobOptionsReader.BROADCAST)) {
      return Future.succeededFuture(); // the script is on the workers, not here; a worker without it fails the run
    }
    return scripts.check(draft.command()).recover(e -> Future.failedFuture(e instanceof CommandException
        ? ApiException.invalid("cmd: " + e.getMessage()) : e));
  }

  /**
   * A modify that sets a cmd is checked as an add is, after the rest of the request (so that the first error
   * reported is RuQi's); one that leaves the cmd alone is not, whatever became of its script since.
   */
  private Future<Void> newScriptExists(Params p, String id, Instant now) {
    if (!p.has("cmd")) {
      return Future.succeededFuture();
    }
    return store.find(id).compose(current -> current == null ? Future.succeededFuture()
        : scriptExists(reader.forModify(p, current, now)));
  }

  /** A modify that sets on_success or on_failure is checked for missing jobs and cycles ({@link ChainCheck}). */
  private Future<Void> newChainChecked(Params p, String id, Instant now) {
    if (!p.has(JobOptionsReader.ON_SUCCESS) && !p.has(JobOptionsReader.ON_FAILURE)) {
      return Future.succeededFuture();
    }
    return store.find(id).compose(current -> current == null ? Future.succeededFuture()
        : ChainCheck.check(store, id, reader.forModify(p, current, now).options()));
  }

  Future<Object> remove(Params p) {
    if (!p.has("job_id") && p.has("name")) {
      String name = p.requiredId("name");
      return store.deleteByName(name, n -> audit.row(p, null, new JsonObject().put("job_name", name),
              new JsonObject().put("removed", n)))
          .map(jobs -> {
            jobs.forEach(changes::removed);
            return new JsonObject().put("removed", jobs.size());
          });
    }
    String id = p.requiredId("job_id");
    return store.find(id).compose(before -> store.delete(id, audit.row(p, id, before, null)).map(removed -> {
      if (!removed) {
        throw ApiException.noSuchJob(id);
      }
      changes.removed(id, before == null ? null : before.name());
      return null;
    }));
  }

  Future<Object> pause(Params p) {
    String id = p.requiredId("job_id");
    Long version = expectedVersion(p);
    // a fired one-shot will not fire again: paused, it would lose that, and a resume would set it back to its date
    return mutate(p, id, version, job -> job.paused() || firedOneShot(job) ? job
        : job.withSchedule(null, true, clock.instant()))
        .map(job -> changed(job, "paused"));
  }

  Future<Object> resume(Params p) {
    String id = p.requiredId("job_id");
    Long version = expectedVersion(p);
    return mutate(p, id, version, job -> {
      if (!job.paused()) {
        return job;
      }
      Instant now = clock.instant();
      Trigger trigger = Triggers.of(job);
      return job.withSchedule(FirstFire.of(trigger, grace(job.options()), now), false, now);
    }).map(job -> changed(job, "resumed"));
  }

  private Job newJob(JobDraft d, Instant now) {
    return planned(d, null, false, false, now);
  }

  /**
   * The stored job redefined by a draft. An unchanged trigger keeps its next fire; a changed one is recomputed from
   * the new rule (RuQi kept the old next time once). A paused job stays paused.
   */
  private Job definedBy(JobDraft d, Job current, Instant now) {
    return planned(d, current, current.paused(), false, now);
  }

  /**
   * The job a draft defines, new ({@code current} null) or replacing {@code current}: paused and done jobs have no
   * next fire; an unchanged schedule keeps its next fire; otherwise the first fire is computed from now.
   */
  Job planned(JobDraft d, Job current, boolean paused, boolean done, Instant now) {
    Instant next;
    if (current != null && firedOneShot(current) && d.sameSchedule()) {
      next = null; // its date fired: redefined, it stays done (a new date is a new fire)
      paused = false;
    } else if (paused || done) {
      next = null;
    } else if (current != null && !current.paused() && d.sameSchedule() && current.nextRunTime() != null) {
      next = current.nextRunTime();
    } else {
      next = FirstFire.of(d.trigger(), grace(d.options()), now);
    }
    return new Job(d.id(), d.name(), d.trigger().type(), d.trigger().rule(), d.cmd(), d.trigger().zone(),
        d.startDate(), d.endDate(), d.anchor(), next, paused, d.options(), current == null ? 0 : current.version(),
        current == null ? now : current.created(), now);
  }

  /**
   * Reads the job, applies {@code change} and writes it only if nobody wrote in between (optimistic version). A
   * caller that named a version gets a conflict when it is stale; otherwise a lost race is retried on fresh data,
   * so two edits never revert each other.
   */
  private Future<Job> mutate(Params p, String id, Long expectedVersion, UnaryOperator<Job> change) {
    return attempt(p, id, expectedVersion, change, 1);
  }

  private Future<Job> attempt(Params p, String id, Long expectedVersion, UnaryOperator<Job> change, int attempt) {
    return store.find(id).compose(current -> {
      if (current == null) {
        throw ApiException.noSuchJob(id);
      }
      if (expectedVersion != null && expectedVersion != current.version()) {
        throw ApiException.conflict("job " + id + " is at version " + current.version() + ", not "
            + expectedVersion + ": it was changed meanwhile; read it again");
      }
      Job changed = change.apply(current);
      if (changed == current) {
        return Future.succeededFuture(current);
      }
      return notFiredAgain(current, changed).compose(next -> {
        // on Galera an edit racing a claim made through another member fails certification at its commit: rolled
        // back, so not written, like an update that found another version
        Job stored = withVersion(next, current.version() + 1);
        // a write lock another process held past SQLite's busy timeout is no race to try again at once: it was waited
        // for, and the answer says so
        return store.update(next, audit.row(p, id, current, stored)).recover(e -> StoreErrors.isLostRace(e)
            && !StoreErrors.isHeldElsewhere(e) ? Future.succeededFuture(false) : Future.failedFuture(e))
            .compose(written -> {
          if (written) {
            return Future.succeededFuture(stored);
          }
          if (expectedVersion != null || attempt >= ATTEMPTS) {
            throw ApiException.conflict("job " + id + " was changed by another request meanwhile; try again");
          }
          return attempt(p, id, null, change, attempt + 1);
        });
      });
    });
  }

  /**
   * A one-shot whose date was claimed (it ran, runs, or was judged missed or skipped): not paused and without a next
   * fire, which only its claim gives it. Told by the row itself, not by the history, which a history clear or the
   * retention may have emptied since.
   */
  static boolean firedOneShot(Job job) {
    return "date".equals(job.trigger()) && !job.paused() && job.nextRunTime() == null;
  }

  /**
   * A new one-shot (job_add, RuQi's add that replaces, job_import) whose first fire is a date already recorded for
   * its job_id: an earlier job of that id fired then and was removed with its last row. Its fire would run again and
   * its history row could not be written (one row per job, fire and attempt), so the add is refused.
   */
  Future<Void> notAFiredDate(Job job, Instant now) {
    if (job.nextRunTime() != null && job.nextRunTime().isAfter(now)) {
      return Future.succeededFuture(); // a date to come cannot have fired
    }
    return firstFireRecorded(job).map(fired -> {
      if (fired) {
        throw ApiException.invalid("rule: job " + job.id() + " fired at " + job.rule() + " already (its history"
            + " has that fire), and a one-shot fires once per date: give it another date, or job_run it");
      }
      return null;
    });
  }

  /**
   * {@code next}, unless it sets a one-shot to a date already recorded for its job (a running row or a history row),
   * which {@link FirstFire} gives it again within its misfire grace: a done one-shot paused before pausing left such
   * jobs alone, then resumed; or an import of a job that fired under that id and was removed since ({@code current}
   * null). It is then written done. The update that follows is conditional on the version read, which a claim moves,
   * so a fire claimed after this read makes the update lose and the edit is made again on fresh data.
   */
  Future<Job> notFiredAgain(Job current, Job next) {
    if (current != null && Objects.equals(next.nextRunTime(), current.nextRunTime())) {
      return Future.succeededFuture(next); // not set back: the fire it keeps is still to come
    }
    return firstFireRecorded(next).map(fired -> fired ? next.withSchedule(null, next.paused(), next.updated())
        : next);
  }

  /** Whether {@code job} is a one-shot whose next fire is a date already recorded for its id (see JobStore.fired). */
  private Future<Boolean> firstFireRecorded(Job job) {
    return "date".equals(job.trigger()) && job.nextRunTime() != null ? store.fired(job.id(), job.nextRunTime())
        : Future.succeededFuture(false);
  }

  private static Job withVersion(Job j, long version) {
    return new Job(j.id(), j.name(), j.trigger(), j.rule(), j.cmd(), j.zone(), j.startDate(), j.endDate(),
        j.anchor(), j.nextRunTime(), j.paused(), j.options(), version, j.created(), j.updated());
  }

  Object changed(Job job, String what) {
    changes.changed(job, what);
    return JobView.of(job, serviceZone);
  }

  private Duration grace(JsonObject options) {
    Number seconds = options.getNumber(JobOptionsReader.MISFIRE_GRACE_TIME);
    return seconds == null ? defaultGrace : Duration.ofMillis(Math.round(seconds.doubleValue() * 1000));
  }

  private static Long expectedVersion(Params p) {
    Integer v = p.optionalInt("version", 0, Integer.MAX_VALUE);
    return v == null ? null : v.longValue();
  }

  private static JsonObject copyOf(Params p) {
    return p.values().copy();
  }
}
