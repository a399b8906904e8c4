package io.ruqi.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a scheduler promises about fires, checked from the outside: the deliveries a sink received (by fire id) beside
 * the history rows (by fire id), the jobs' schedules and what was done to the nodes and the database meanwhile.
 * {@link #check()} answers every broken promise as a line that says which fire, what was seen and why it is wrong,
 * and counts per phase. The promises:
 *
 * <ul>
 *   <li>no fire is delivered twice; a job that opted into at-least-once delivery may get a fire again only after
 *       its earlier delivery was cut (the sender's connection closed before the answer, or the fire recorded
 *       {@code interrupted});</li>
 *   <li>one row per fire and attempt, and at most one {@code success} per fire; a success was delivered, and every
 *       delivery has a row that says it ran ({@code success}, or {@code interrupted} when its run was cut);</li>
 *   <li>every fire of the schedule has a row (none unaccounted for), and no row is off the schedule;</li>
 *   <li>{@code interrupted} only for a run that a kill or a freeze of the node holding it really cut; an
 *       at-least-once fire is not left interrupted without a delivery;</li>
 *   <li>{@code missed} and {@code skipped} only when a disruption that began while the fire could still start (within
 *       its misfire grace) may have kept every node from starting it until past that grace; never {@code failed} or
 *       {@code timeout} (the sink always answers OK, in time);</li>
 *   <li>after the chaos (the calm window) every recurring fire succeeds and is delivered on time: every job is still
 *       firing, none is stuck {@code skipped};</li>
 *   <li>no {@code ruqi_running} row is left once everything is quiet: a left row fences its job for ever;</li>
 *   <li>when commands are given: a fire ran the command its history row names (its delivery reached that path;
 *       a job edited while it fires must not record one command and run another).</li>
 * </ul>
 *
 * All times are epoch milliseconds of the test's clock (which the database and unskewed nodes share).
 */
public final class FireLedger {

  public enum Mode { AT_MOST_ONCE, AT_LEAST_ONCE }

  public enum Kind { KILL, FREEZE, DATABASE }

  /**
   * A job's fires: those at {@code phaseMs + k * periodMs} within [firstMs, lastMs] are due (a one-shot has period 0
   * and first = last); rows for fires in (allowedFromMs, allowedUntilMs] on the grid are not off the schedule.
   */
  public record Job(String id, Mode mode, long graceMs, long periodMs, long phaseMs, long firstMs, long lastMs,
                    long allowedFromMs, long allowedUntilMs) {

    public static Job oneShot(String id, Mode mode, long graceMs, long atMs) {
      return new Job(id, mode, graceMs, 0, atMs, atMs, atMs, atMs - 1, atMs);
    }

    /**
     * A recurring job added at {@code addedMs} and paused at {@code pausedMs}: the fires more than {@code marginMs}
     * inside that span are due; those at its edges may or may not be.
     */
    public static Job every(String id, Mode mode, long graceMs, long periodMs, long phaseMs, long addedMs,
                            long pausedMs, long marginMs) {
      long first = ceilOnGrid(addedMs + marginMs, periodMs, phaseMs);
      long last = floorOnGrid(pausedMs - marginMs, periodMs, phaseMs);
      return new Job(id, mode, graceMs, periodMs, phaseMs, first, last, addedMs, pausedMs + marginMs);
    }

    boolean recurring() {
      return periodMs > 0;
    }

    boolean onSchedule(long fireMs) {
      return fireMs > allowedFromMs && fireMs <= allowedUntilMs
          && (periodMs == 0 ? fireMs == phaseMs : Math.floorMod(fireMs - phaseMs, periodMs) == 0);
    }

    List<Long> due(long fromMs, long toMs) {
      List<Long> out = new ArrayList<>();
      long from = Math.max(firstMs, fromMs);
      long to = Math.min(lastMs, toMs);
      if (periodMs == 0) {
        if (phaseMs >= from && phaseMs <= to) {
          out.add(phaseMs);
        }
        return out;
      }
      for (long t = ceilOnGrid(from, periodMs, phaseMs); t <= to; t += periodMs) {
        out.add(t);
      }
      return out;
    }
  }

  /** A request the sink received; {@code answeredMs}/{@code cutMs} are -1 when that did not happen. */
  public record Delivery(String fireId, String node, long arrivedMs, long answeredMs, long cutMs) {
    long endMs() {
      return answeredMs >= 0 ? answeredMs : cutMs >= 0 ? cutMs : arrivedMs;
    }
  }

  /** A history row, with the table's milliseconds; {@code startMs} in the clock of the node that started it. */
  public record Row(String jobId, long fireMs, String status, int attempt, Long startMs, long createdMs, String node,
                    String output) {
    String fireId() {
      return jobId + "@" + fireMs;
    }

    @Override
    public String toString() {
      return status + " (attempt " + attempt + ", by " + node + ", started " + (startMs == null ? "-" : at(startMs))
          + (output == null || output.isBlank() ? "" : ": " + output.substring(0, Math.min(140, output.length())))
          + ")";
    }
  }

  /** A {@code ruqi_running} row. */
  public record Running(String jobId, long fireMs, String node, Long startMs) {
  }

  /**
   * Something done to a node ({@code KILL}: kill -9 at {@code atMs}, back at {@code untilMs}; {@code FREEZE}: SIGSTOP
   * at {@code atMs}, SIGCONT at {@code untilMs}) or to the database ({@code node} null: down from {@code atMs}, the
   * nodes ready again at {@code untilMs}).
   */
  public record Disruption(Kind kind, String node, long atMs, long untilMs, String name) {
  }

  /** A node whose clock ran {@code offsetMs} ahead (negative: behind) from {@code fromMs} to {@code toMs}. */
  public record Skew(String node, long offsetMs, long fromMs, long toMs) {
  }

  public record Phase(String name, long fromMs, long toMs) {
  }

  /** How the nodes were set: how far ahead they claim, how long a lease is. */
  public record Settings(long claimAheadMs, long leaseMs) {
  }

  public record Verdict(List<String> problems, String counts) {
  }

  /** A loaded machine's moment, after the half lease between the peer's looks for expired leases. */
  private static final long JUDGE_MOMENT_MS = 2_000;
  /** How a history row says a fire was skipped because its job's previous one still counted as running. */
  private static final String MAX_INSTANCES_SKIP = "not run: the job already has max_instances";
  /** A database back up: the nodes reconnect on their next read and work through what was held up. */
  private static final long RECONNECT_SLACK_MS = 5_000;
  /** A mark to the run's request, or a run's answer to its history row, on a loaded machine. */
  private static final long STEP_SLACK_MS = 2_000;
  /** How a take-over's row names the node that stopped while the fire was its. */
  private static final Pattern CUT_NODE = Pattern.compile("node (\\S+) stopped");

  private final Settings settings;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Map<String, List<Delivery>> deliveries = new TreeMap<>();
  private final Map<String, List<Row>> rows = new TreeMap<>();
  private final List<Running> running = new ArrayList<>();
  private final List<Disruption> disruptions = new ArrayList<>();
  private final List<Skew> skews = new ArrayList<>();
  private final List<Phase> phases = new ArrayList<>();
  private final Map<String, String> recordedPaths = new TreeMap<>();
  private final Map<String, String> deliveredPaths = new TreeMap<>();
  private long calmFromMs = Long.MAX_VALUE;
  private long calmToMs = Long.MIN_VALUE;
  private long onTimeMs;

  public FireLedger(Settings settings) {
    this.settings = settings;
  }

  public FireLedger job(Job job) {
    jobs.put(job.id(), job);
    return this;
  }

  public FireLedger delivered(List<Delivery> all) {
    all.forEach(d -> deliveries.computeIfAbsent(d.fireId() == null ? "(no Idempotency-Key)" : d.fireId(),
        k -> new ArrayList<>()).add(d));
    deliveries.values().forEach(l -> l.sort(Comparator.comparingLong(Delivery::arrivedMs)));
    return this;
  }

  public FireLedger recorded(List<Row> all) {
    all.forEach(r -> rows.computeIfAbsent(r.fireId(), k -> new ArrayList<>()).add(r));
    rows.values().forEach(l -> l.sort(Comparator.comparingInt(Row::attempt)));
    return this;
  }

  public FireLedger leftRunning(List<Running> all) {
    running.addAll(all);
    return this;
  }

  /**
   * The path each fire's row names ({@code recorded}) and the path its delivery reached ({@code delivered}), both by
   * fire id: they must agree.
   */
  public FireLedger commands(Map<String, String> recorded, Map<String, String> delivered) {
    recordedPaths.putAll(recorded);
    deliveredPaths.putAll(delivered);
    return this;
  }

  public FireLedger disruption(Disruption d) {
    disruptions.add(d);
    return this;
  }

  public FireLedger skew(Skew s) {
    skews.add(s);
    return this;
  }

  public FireLedger phase(Phase p) {
    phases.add(p);
    return this;
  }

  /** Fires due in [fromMs, toMs] must succeed, delivered at most {@code onTimeMs} after their time. */
  public FireLedger calm(long fromMs, long toMs, long onTimeMs) {
    this.calmFromMs = fromMs;
    this.calmToMs = toMs;
    this.onTimeMs = onTimeMs;
    return this;
  }

  public Verdict check() {
    List<String> problems = new ArrayList<>();
    Counts counts = new Counts();
    unknownFires(problems);
    Map<String, SortedSet<Long>> seen = new TreeMap<>();
    rows.keySet().forEach(id -> fireOf(id, seen));
    deliveries.keySet().forEach(id -> fireOf(id, seen));
    for (Job job : jobs.values()) {
      List<Long> due = job.due(Long.MIN_VALUE, Long.MAX_VALUE);
      SortedSet<Long> fires = new TreeSet<>(due);
      for (long fire : seen.getOrDefault(job.id(), new TreeSet<>())) {
        if (job.onSchedule(fire)) {
          fires.add(fire);
        } else {
          problems.add("a fire off the schedule: " + job.id() + "@" + fire + " (" + at(fire) + "): rows "
              + rows.getOrDefault(job.id() + "@" + fire, List.of()) + ", deliveries "
              + deliveries.getOrDefault(job.id() + "@" + fire, List.of()));
        }
      }
      for (long fire : fires) {
        judgeFire(job, fire, due.contains(fire), problems, counts.of(phaseOf(fire)));
      }
    }
    problems.addAll(stillFiring());
    deliveredPaths.forEach((id, path) -> {
      String named = recordedPaths.get(id);
      if (named != null && !named.equals(path)) {
        problems.add("ran another command than its row names: " + id + " recorded " + named + ", delivered to " + path);
      }
    });
    running.forEach(r -> problems.add("left running: " + r.jobId() + "@" + at(r.fireMs()) + " held by " + r.node()
        + (r.startMs() == null ? ", never started" : ", started " + at(r.startMs()))
        + ": its job can never have another fire while max_instances counts it"));
    return new Verdict(problems, counts.table());
  }

  // ---- each fire ----

  /** @param due whether the schedule says the fire was due (a fire at the edge of a job's span may not be) */
  private void judgeFire(Job job, long fire, boolean due, List<String> problems, Tally tally) {
    String id = job.id() + "@" + fire;
    List<Delivery> sent = deliveries.getOrDefault(id, List.of());
    List<Row> mine = rows.getOrDefault(id, List.of());
    if (!due && mine.isEmpty() && sent.isEmpty()) {
      return;
    }
    tally.fires++;
    tally.rows += mine.size();
    if (!sent.isEmpty()) {
      tally.delivered++;
    }
    if (mine.isEmpty()) {
      tally.unaccounted++;
      problems.add("unaccounted for: " + id + " (" + at(fire) + ") has no history row" + (sent.isEmpty()
          ? " and was never delivered" : ", though delivered " + sent.size() + "x by " + sent.get(0).node()));
      return;
    }
    duplicates(job, id, sent, mine, problems, tally);
    Map<Integer, Long> perAttempt = mine.stream().collect(Collectors.groupingBy(Row::attempt, Collectors.counting()));
    perAttempt.forEach((attempt, n) -> {
      if (n > 1) {
        problems.add("two rows for one attempt: " + id + " attempt " + attempt + ": " + mine);
      }
    });
    List<Row> successes = mine.stream().filter(r -> r.status().equals("success")).toList();
    if (successes.size() > 1) {
      problems.add("two successes for one fire: " + id + ": " + mine);
    }
    if (!successes.isEmpty()) {
      tally.success++;
      if (sent.isEmpty()) {
        problems.add("success without a delivery: " + id + " " + successes.get(0));
      }
      return;
    }
    Row last = mine.get(mine.size() - 1);
    switch (last.status()) {
      case "interrupted" -> interrupted(job, id, last, sent, problems, tally);
      case "missed", "skipped" -> notRun(job, fire, id, last, sent, problems, tally);
      default -> {
        tally.failed++;
        problems.add(last.status() + ": " + id + " " + last + " (the sink answers every request OK, in time)");
      }
    }
  }

  private void duplicates(Job job, String id, List<Delivery> sent, List<Row> mine, List<String> problems,
                          Tally tally) {
    boolean interrupted = mine.stream().anyMatch(r -> r.status().equals("interrupted"));
    for (int i = 1; i < sent.size(); i++) {
      Delivery before = sent.get(i - 1);
      boolean cut = before.cutMs() >= 0 || interrupted;
      if (job.mode() == Mode.AT_LEAST_ONCE && cut) {
        tally.redelivered++;
      } else {
        tally.duplicates++;
        problems.add("delivered twice: " + id + " (" + job.mode() + "): " + sent + (job.mode() == Mode.AT_LEAST_ONCE
            ? ", though its earlier delivery was not cut" : "") + "; rows " + mine);
      }
    }
  }

  private void interrupted(Job job, String id, Row row, List<Delivery> sent, List<String> problems, Tally tally) {
    if (sent.isEmpty()) {
      tally.interruptedUnsent++;
    } else {
      tally.interruptedSent++;
    }
    Optional<String> why = sent.isEmpty() ? cutBeforeSending(row) : cutWhileHeld(row, sent.get(0));
    if (why.isEmpty()) {
      problems.add("interrupted, though no kill or freeze cut it: " + id + " " + row + (sent.isEmpty()
          ? ", never delivered" : ", delivered by " + sent.get(0).node() + " at " + at(sent.get(0).arrivedMs())
          + (sent.get(0).answeredMs() >= 0 ? ", answered " + at(sent.get(0).answeredMs()) : "")));
    }
    if (job.mode() == Mode.AT_LEAST_ONCE && sent.isEmpty()) {
      problems.add("at-least-once, yet interrupted and never delivered (not run again with its fire id): " + id + " "
          + row + why.map(w -> "; cut by " + w).orElse(""));
    }
  }

  /**
   * A fire marked started and not sent: the node marking it died (or froze) between its mark and its request. Its
   * mark time is the row's start time, in the clock of the node that marked it (which may have been skewed).
   */
  private Optional<String> cutBeforeSending(Row row) {
    List<Long> marks = new ArrayList<>();
    if (row.startMs() == null) {
      marks.add(row.fireMs() - settings.claimAheadMs());
    } else {
      marks.add(row.startMs());
      // a skewed node marks until its kill lands, a moment after the skew's end was read (once by 1 ms: a mark
      // at 18:45:54.987 real against an end of 18:45:54.986), so the end has the step's slack
      skews.stream().filter(s -> row.startMs() - s.offsetMs() >= s.fromMs()
              && row.startMs() - s.offsetMs() <= s.toMs() + STEP_SLACK_MS)
          .forEach(s -> marks.add(row.startMs() - s.offsetMs()));
    }
    for (long mark : marks) {
      Optional<Disruption> d = nodeDisruption(null, mark - 1_000, mark + STEP_SLACK_MS)
          .or(() -> killedWhileTheMarkWasUnanswered(row, mark));
      if (d.isPresent()) {
        return d.map(Disruption::name);
      }
    }
    return Optional.empty();
  }

  /**
   * A mark that went in as the database went down can commit with its answer lost: its node holds the fire unsent
   * until the database is back and the mark is read again, so a kill of that node (the one the row names) until
   * then, and before the row, cuts it (once: marked 1 ms after the outage began, its node killed 8 s into it).
   */
  private Optional<Disruption> killedWhileTheMarkWasUnanswered(Row row, long mark) {
    Matcher named = CUT_NODE.matcher(row.output() == null ? "" : row.output());
    String node = named.find() ? named.group(1) : null;
    return disruptions.stream()
        .filter(db -> db.kind() == Kind.DATABASE && mark >= db.atMs() - 1_000 && mark <= db.atMs() + STEP_SLACK_MS)
        .map(db -> nodeDisruption(node, mark - 1_000, Math.min(row.createdMs(), db.untilMs() + RECONNECT_SLACK_MS)))
        .flatMap(Optional::stream).findFirst();
  }

  /**
   * A fire whose request the sink got: the sending node held it from its mark until its history row was written
   * (at once after the answer, or once the database was back), and was killed or frozen within that time.
   */
  private Optional<String> cutWhileHeld(Row row, Delivery first) {
    long from = Math.min(first.arrivedMs(), row.startMs() == null ? first.arrivedMs() : row.startMs()) - 1_000;
    long to = first.endMs() + STEP_SLACK_MS;
    for (Disruption db : disruptions) {
      if (db.kind() == Kind.DATABASE && db.atMs() <= to && first.endMs() <= db.untilMs()) {
        to = Math.max(to, db.untilMs() + RECONNECT_SLACK_MS);
      }
    }
    return nodeDisruption(first.node(), from, to).map(Disruption::name);
  }

  /** A kill or freeze of {@code node} (any node when null) that happened within [from, to]. */
  private Optional<Disruption> nodeDisruption(String node, long from, long to) {
    return disruptions.stream().filter(d -> d.kind() != Kind.DATABASE && (node == null || node.equals(d.node())))
        .filter(d -> d.kind() == Kind.KILL ? d.atMs() >= from && d.atMs() <= to : d.atMs() <= to && d.untilMs() >= from)
        .findFirst();
  }

  private void notRun(Job job, long fire, String id, Row row, List<Delivery> sent, List<String> problems,
                      Tally tally) {
    if (row.status().equals("missed")) {
      tally.missed++;
    } else {
      tally.skipped++;
    }
    if (!sent.isEmpty()) {
      problems.add("delivered, though recorded " + row.status() + ": " + id + " " + row + ", " + sent);
      return;
    }
    // the disruption began while the fire could still start (within its grace), and held it up past its grace
    Optional<Disruption> cause = disruptions.stream().filter(d -> d.atMs() - fire <= job.graceMs()
        && heldUpUntil(d) - fire > job.graceMs()).findFirst();
    if (cause.isEmpty() && row.status().equals("skipped") && row.output() != null
        && row.output().startsWith(MAX_INSTANCES_SKIP)) {
      cause = heldPrevious(job, fire);
    }
    if (cause.isPresent()) {
      tally.excused++;
    } else {
      problems.add(row.status() + " with no disruption to excuse it: " + id + " (grace " + job.graceMs() / 1000.0
          + " s) " + row + nearest(fire));
    }
  }

  /**
   * Skipped for max_instances: at once, not after the grace, because a fire of the job that a stopped node held
   * still counted as running. Excused for a recurring job when a disruption began before this fire was claimed and
   * could still hold a fire when this one came due. Which earlier fire was held cannot be told from the rows: a node
   * whose clock runs ahead decides a fire before the fires due just before it have run on its peer (a CI run: the
   * fire of :42 skipped by a node 6 s ahead at :36, while its own fire of :32 waited for the take-over at :37).
   */
  private Optional<Disruption> heldPrevious(Job job, long fire) {
    if (job.periodMs() <= 0) {
      return Optional.empty(); // a one-shot has no earlier fire
    }
    return disruptions.stream().filter(d -> d.atMs() <= fire + settings.claimAheadMs() && heldUpUntil(d) > fire)
        .findFirst();
  }

  /** Until when a disruption may keep a fire from starting on any node. */
  private long heldUpUntil(Disruption d) {
    if (d.kind() == Kind.DATABASE) {
      return d.untilMs() + RECONNECT_SLACK_MS;
    }
    // a dead or frozen node's fires wait for a peer to judge its lease: by the peer's clock, so a node that ran ahead
    // holds them longer
    long skew = skews.stream().filter(s -> s.node().equals(d.node()) && d.atMs() >= s.fromMs() && d.atMs() <= s.toMs())
        .mapToLong(s -> Math.max(0, s.offsetMs())).max().orElse(0);
    return Math.max(d.untilMs(), d.atMs() + settings.leaseMs() + skew) + settings.leaseMs() / 2 + JUDGE_MOMENT_MS;
  }

  private String nearest(long fire) {
    return disruptions.stream().min(Comparator.comparingLong(d -> Math.abs(d.atMs() - fire)))
        .map(d -> "; nearest disruption: " + d.name() + " at " + at(d.atMs())).orElse("");
  }

  // ---- across fires ----

  private void unknownFires(List<String> problems) {
    for (String id : deliveries.keySet()) {
      if (id == null || !id.contains("@") || !jobs.containsKey(id.substring(0, id.lastIndexOf('@')))) {
        problems.add("a delivery of no known job's fire: " + deliveries.get(id));
      }
    }
    for (String id : rows.keySet()) {
      if (!jobs.containsKey(id.substring(0, id.lastIndexOf('@')))) {
        problems.add("a history row of no known job: " + rows.get(id));
      }
    }
  }

  /** Files {@code job@ms} under its job id; an id that names no known job is a problem of its own. */
  private static void fireOf(String id, Map<String, SortedSet<Long>> seen) {
    int at = id.lastIndexOf('@');
    try {
      seen.computeIfAbsent(id.substring(0, at), k -> new TreeSet<>()).add(Long.parseLong(id.substring(at + 1)));
    } catch (RuntimeException malformed) {
      seen.computeIfAbsent("?", k -> new TreeSet<>());
    }
  }

  /** In the calm window: each recurring job's fires all succeed, delivered on time. */
  private List<String> stillFiring() {
    List<String> out = new ArrayList<>();
    if (calmFromMs > calmToMs) {
      return out;
    }
    for (Job job : jobs.values()) {
      if (!job.recurring()) {
        continue;
      }
      List<Long> due = job.due(calmFromMs, calmToMs);
      Map<String, Long> bad = new TreeMap<>();
      String first = null;
      for (long fire : due) {
        String id = job.id() + "@" + fire;
        List<Row> mine = rows.getOrDefault(id, List.of());
        List<Delivery> sent = deliveries.getOrDefault(id, List.of());
        String seen = mine.isEmpty() ? "no row" : mine.get(mine.size() - 1).status();
        boolean onTime = !sent.isEmpty() && sent.get(0).arrivedMs() - fire <= onTimeMs;
        if (!seen.equals("success") || !onTime) {
          String what = seen.equals("success") ? (sent.isEmpty() ? "not delivered" : "late") : seen;
          bad.merge(what, 1L, Long::sum);
          if (first == null) {
            first = at(fire) + " " + (mine.isEmpty() ? "" : mine.get(mine.size() - 1).toString())
                + (sent.isEmpty() ? "" : ", delivered " + (sent.get(0).arrivedMs() - fire) + " ms after its time");
          }
        }
      }
      if (due.isEmpty()) {
        out.add("not firing after the chaos: " + job.id() + " has no fire due in the calm window");
      } else if (!bad.isEmpty()) {
        long n = bad.values().stream().mapToLong(x -> x).sum();
        out.add("not firing (on time) after the chaos: " + job.id() + " " + n + " of " + due.size() + " fires " + bad
            + "; first: " + first);
      }
    }
    return out;
  }

  private String phaseOf(long fire) {
    return phases.stream().filter(p -> fire >= p.fromMs() && fire < p.toMs()).map(Phase::name).findFirst()
        .orElse(phases.isEmpty() || fire < phases.get(0).fromMs() ? "before" : "after");
  }

  // ---- counts ----

  private static final class Tally {
    long fires;
    long rows;
    long delivered;
    long duplicates;
    long redelivered;
    long success;
    long interruptedSent;
    long interruptedUnsent;
    long missed;
    long skipped;
    long excused;
    long failed;
    long unaccounted;
  }

  private final class Counts {
    private final Map<String, Tally> byPhase = new LinkedHashMap<>();

    Counts() {
      byPhase.put("before", new Tally());
      phases.forEach(p -> byPhase.put(p.name(), new Tally()));
      byPhase.put("after", new Tally());
    }

    Tally of(String phase) {
      return byPhase.computeIfAbsent(phase, k -> new Tally());
    }

    String table() {
      List<Function<Tally, Long>> columns = List.of(t -> t.fires, t -> t.rows, t -> t.delivered, t -> t.duplicates,
          t -> t.redelivered, t -> t.success, t -> t.interruptedSent, t -> t.interruptedUnsent, t -> t.missed,
          t -> t.skipped, t -> t.excused, t -> t.failed, t -> t.unaccounted);
      String head = String.format("%-44s %6s %6s %6s %5s %5s %6s %5s %5s %6s %6s %6s %5s %5s%n",
          "phase (fires by due time)", "fires", "rows", "deliv", "dup", "redel", "succ", "int+s", "int-s", "missed",
          "skipd", "excusd", "fail", "lost");
      StringBuilder out = new StringBuilder(head);
      Tally total = new Tally();
      byPhase.forEach((name, t) -> {
        if (t.fires > 0 || t.unaccounted > 0) {
          out.append(line(name, t, columns));
          add(total, t);
        }
      });
      out.append(line("total", total, columns));
      out.append("(dup: a fire delivered again without a cut; redel: an at-least-once fire delivered again after a cut;"
          + " int+s / int-s: interrupted, delivered / never sent; excusd: missed or skipped within a disruption longer"
          + " than the job's grace; lost: unaccounted for)\n");
      return out.toString();
    }

    private String line(String name, Tally t, List<Function<Tally, Long>> columns) {
      StringBuilder out = new StringBuilder(String.format("%-44s", name.length() > 44 ? name.substring(0, 44) : name));
      int[] widths = {6, 6, 6, 5, 5, 6, 5, 5, 6, 6, 6, 5, 5};
      for (int i = 0; i < columns.size(); i++) {
        out.append(String.format(" %" + widths[i] + "d", columns.get(i).apply(t)));
      }
      return out.append('\n').toString();
    }

    private void add(Tally into, Tally t) {
      into.fires += t.fires;
      into.rows += t.rows;
      into.delivered += t.delivered;
      into.duplicates += t.duplicates;
      into.redelivered += t.redelivered;
      into.success += t.success;
      into.interruptedSent += t.interruptedSent;
      into.interruptedUnsent += t.interruptedUnsent;
      into.missed += t.missed;
      into.skipped += t.skipped;
      into.excused += t.excused;
      into.failed += t.failed;
      into.unaccounted += t.unaccounted;
    }
  }

  // ---- time ----

  static long ceilOnGrid(long t, long period, long phase) {
    return period == 0 ? phase : t + Math.floorMod(phase - t, period);
  }

  static long floorOnGrid(long t, long period, long phase) {
    return period == 0 ? phase : t - Math.floorMod(t - phase, period);
  }

  static String at(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }
}
