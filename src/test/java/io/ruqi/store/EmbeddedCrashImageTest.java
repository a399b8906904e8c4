package io.ruqi.store;

import org.h2.engine.Constants;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The H2 that ruqi ships recovers every commit from the file a kill -9 leaves. H2 2.5.252 did not: when a chunk is
 * written into reused free space somewhere other than where the previous chunk predicted, the store header
 * rewritten for it names the previous chunk; recovery after a kill starts from the header, follows the predictions,
 * misses the new chunk and opens at the one before, so the last commits are gone although they are in the file
 * (DurabilityIT lost acknowledged changes that way). Here, plainly on the MVStore: a store that reuses the space of
 * dead chunks commits changes of varied sizes, and after each commit a copy of its file (what a kill -9 leaves: the
 * commit was written, and the OS keeps what was written) must open at that commit. Seeded, so the same steps run
 * every time; H2 2.5.252 lost most of them from the first.
 */
class EmbeddedCrashImageTest {
  private static final int STEPS = 150;

  @Test
  void a_copy_of_the_file_taken_after_any_commit_opens_at_that_commit(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("store.mv.db");
    Path crashImage = dir.resolve("image.mv.db");
    Random random = new Random(42);
    List<String> lost = new ArrayList<>();
    MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    try {
      // old chunks are reusable at once (45 s by default): the reuse an aged store has, without waiting for it
      store.setRetentionTime(0);
      MVMap<Integer, String> rows = store.openMap("rows");
      MVMap<String, Integer> marks = store.openMap("marks");
      // an aged store: many chunks, then all their rows deleted, so that new chunks go into the holes
      for (int i = 0; i < 2_000; i++) {
        rows.put(i, "x".repeat(2_000));
        if (i % 20 == 19) {
          store.commit();
        }
      }
      for (int i = 0; i < 2_000; i++) {
        rows.remove(i);
        if (i % 50 == 49) {
          store.commit();
        }
      }
      store.commit();
      int key = 10_000;
      for (int step = 1; step <= STEPS; step++) {
        // mostly small commits, some large ones: chunks of varied sizes land in holes other than the predicted one
        int count = 1 + random.nextInt(random.nextInt(10) < 8 ? 3 : 60);
        for (int i = 0; i < count; i++) {
          rows.put(key++, "y".repeat(500 + random.nextInt(3_000)));
        }
        for (int i = 0; i < count; i++) {
          rows.remove(key - 200 - i);
        }
        marks.put("step", step);
        store.commit();
        Files.copy(file, crashImage, StandardCopyOption.REPLACE_EXISTING);
        Integer recovered = markIn(crashImage);
        if (recovered == null || recovered != step) {
          lost.add(step + "->" + recovered);
        }
      }
    } finally {
      store.close();
    }
    assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), lost.size() + " of " + STEPS
        + " commits a kill -9 would lose on H2 " + Constants.FULL_VERSION + " (step -> the step the copy opened at)");
  }

  private static Integer markIn(Path image) {
    MVStore copy = new MVStore.Builder().fileName(image.toString()).readOnly().open();
    try {
      return copy.<String, Integer>openMap("marks").get("step");
    } finally {
      copy.close();
    }
  }
}
