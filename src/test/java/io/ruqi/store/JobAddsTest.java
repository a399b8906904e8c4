package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link JobAdds} groups adds, with writes the test completes by hand: what goes alone, what waits and goes
 * together, and what each add is answered when a batch fails. (ConcurrentAddsTest writes real batches to H2 and
 * MariaDB.)
 */
class JobAddsTest {
  /** The writes asked for, in order, each left open until the test completes it. */
  final List<List<String>> writes = new ArrayList<>();
  final List<Promise<Void>> open = new ArrayList<>();
  final JobAdds<String> adds = new JobAdds<>(this::write, one -> write(List.of(one)),
      e -> e.getMessage().startsWith("unreached"), String::length);

  Future<Void> write(List<String> batch) {
    Promise<Void> p = Promise.promise();
    writes.add(batch);
    open.add(p);
    return p.future();
  }

  /** Adds enough to take every write, so that the next adds wait. */
  void everyWriteBusy() {
    for (int i = 0; i < JobAdds.MAX_IN_FLIGHT; i++) {
      adds.add("busy-" + i);
    }
  }

  @Test
  void aStoreOfOneConnectionTakesOneWriteAtATimeAndTheAddsMeanwhileGoTogether() {
    JobAdds<String> oneAtATime = new JobAdds<>(this::write, one -> write(List.of(one)),
        e -> e.getMessage().startsWith("unreached"), String::length, 1);
    List<Future<Void>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(oneAtATime.add("job-" + i));
    }
    assertEquals(List.of(List.of("job-0")), writes, "one write under way; the others wait for it");

    open.get(0).complete();

    assertTrue(answers.get(0).succeeded());
    assertEquals(List.of("job-1", "job-2", "job-3", "job-4"), writes.get(1), "then all that waited, in one write");
    open.get(1).complete();
    answers.forEach(a -> assertTrue(a.succeeded()));
  }

  @Test
  void addsFindingAWriteFreeGoAloneTheRestWaitAndGoTogether() {
    List<Future<Void>> answers = new ArrayList<>();
    for (int i = 0; i < JobAdds.MAX_IN_FLIGHT + 5; i++) {
      answers.add(adds.add("job-" + i));
    }
    assertEquals(JobAdds.MAX_IN_FLIGHT, writes.size(), "one write per add while there is room");
    writes.forEach(w -> assertEquals(1, w.size()));

    open.get(0).complete();

    assertTrue(answers.get(0).succeeded());
    assertEquals(List.of("job-4", "job-5", "job-6", "job-7", "job-8"), writes.get(JobAdds.MAX_IN_FLIGHT),
        "the adds that waited, as one write, in the order they came");
    assertFalse(answers.get(4).isComplete(), "answered only when their write is done");

    open.get(JobAdds.MAX_IN_FLIGHT).complete();

    for (int i = 4; i < answers.size(); i++) {
      assertTrue(answers.get(i).succeeded());
    }
  }

  @Test
  void aBatchThatFailsIsWrittenAgainInHalvesUntilEachFailingAddFailedAlone() {
    everyWriteBusy();
    Future<Void> a = adds.add("a");
    Future<Void> taken = adds.add("taken");
    Future<Void> b = adds.add("b");
    Future<Void> c = adds.add("c");
    open.get(0).complete();
    int next = JobAdds.MAX_IN_FLIGHT;
    assertEquals(List.of("a", "taken", "b", "c"), writes.get(next));
    open.get(next++).fail(new IllegalStateException("duplicate key taken"));

    assertEquals(List.of("a", "taken"), writes.get(next), "the first half first");
    open.get(next++).fail(new IllegalStateException("duplicate key taken"));
    assertEquals(List.of("a"), writes.get(next));
    open.get(next++).complete();
    assertEquals(List.of("taken"), writes.get(next));
    open.get(next++).fail(new IllegalStateException("duplicate key taken"));
    assertEquals(List.of("b", "c"), writes.get(next), "a failed add does not stop the rest, which go together");
    open.get(next++).complete();

    assertEquals(next, writes.size());
    assertTrue(a.succeeded());
    assertTrue(taken.failed());
    assertEquals("duplicate key taken", taken.cause().getMessage());
    assertTrue(b.succeeded());
    assertTrue(c.succeeded());
  }

  @Test
  void aBatchThatDidNotReachTheStoreIsNotWrittenAgainEachAddGetsItsFailure() {
    everyWriteBusy();
    Future<Void> a = adds.add("a");
    Future<Void> b = adds.add("b");
    open.get(0).complete();
    open.get(JobAdds.MAX_IN_FLIGHT).fail(new IllegalStateException("unreached: connection closed"));

    assertEquals(JobAdds.MAX_IN_FLIGHT + 1, writes.size(), "nothing written again");
    assertEquals("unreached: connection closed", a.cause().getMessage());
    assertEquals("unreached: connection closed", b.cause().getMessage());
  }

  @Test
  void beyondMaxWaitingAnAddIsRefusedAtOnceAsTheStoreUnavailable() {
    for (int i = 0; i < JobAdds.MAX_IN_FLIGHT + JobAdds.MAX_WAITING; i++) {
      adds.add("job-" + i);
    }

    Future<Void> refused = adds.add("one-too-many");

    assertTrue(refused.failed());
    assertTrue(refused.cause() instanceof StoreUnavailableException, refused.cause().toString());
  }

  @Test
  void aBatchIsAtMostMaxBatchAddsAndMaxBatchBytesAndTheRestGoNext() {
    everyWriteBusy();
    for (int i = 0; i < JobAdds.MAX_BATCH + 1; i++) {
      adds.add("job-" + i);
    }
    open.get(0).complete();
    assertEquals(JobAdds.MAX_BATCH, writes.get(JobAdds.MAX_IN_FLIGHT).size());
    open.get(1).complete();
    assertEquals(List.of("job-" + JobAdds.MAX_BATCH), writes.get(JobAdds.MAX_IN_FLIGHT + 1));

    String large = "x".repeat(JobAdds.MAX_BATCH_BYTES / 3);
    for (int i = 0; i < 4; i++) {
      adds.add(large + i);
    }
    open.get(2).complete();
    assertEquals(2, writes.get(JobAdds.MAX_IN_FLIGHT + 2).size(), "three would be past the bytes, so two");
    open.get(3).complete();
    assertEquals(2, writes.get(JobAdds.MAX_IN_FLIGHT + 3).size(), "and the other two next");
  }

  @Test
  void aWriteThatThrowsFailsItsAddsAndFreesItsSlot() {
    JobAdds<String> throwing = new JobAdds<>(batch -> {
      throw new IllegalStateException("thrown by the batch write");
    }, one -> {
      throw new IllegalStateException("thrown by the single write");
    }, e -> false, String::length);
    List<Future<Void>> answers = new ArrayList<>();
    for (int i = 0; i < 3 * JobAdds.MAX_IN_FLIGHT; i++) {
      answers.add(throwing.add("job-" + i));
    }

    answers.forEach(a -> assertTrue(a.failed(), "answered"));
    assertEquals("thrown by the single write", answers.get(0).cause().getMessage());
  }
}
