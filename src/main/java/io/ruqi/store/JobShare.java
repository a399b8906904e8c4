package io.ruqi.store;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One node's share of the jobs among {@code nodes} schedulers: the jobs whose slot ({@link #slot}) is {@code index}.
 * The slot is CRC-32 of the id's UTF-8 bytes, the function MySQL and MariaDB compute as
 * {@code CRC32(CONVERT(id USING utf8mb4))}, so that a read-ahead can ask the database for its own share first
 * ({@link ClaimStore#due}) and the scheduler prefers the same jobs ({@code SchedulerPeers}).
 */
public record JobShare(int nodes, int index) {
  /** A node alone: every job is its own. */
  public static final JobShare ALL = new JobShare(1, 0);

  public JobShare {
    if (nodes < 1 || index < 0 || index >= nodes) {
      throw new IllegalArgumentException("no share " + index + " of " + nodes);
    }
  }

  /** The job's slot among {@code nodes}: the same on every node, spread evenly over similar ids. */
  public static int slot(String jobId, int nodes) {
    CRC32 crc = new CRC32();
    crc.update(jobId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % nodes);
  }

  public boolean owns(String jobId) {
    return nodes == 1 || slot(jobId, nodes) == index;
  }
}
