package io.ruqi.migrate;

import java.time.LocalDateTime;

/** A row of RuQi's {@code ruqi_jobs_history}; {@code created} is a naive wall time of the RuQi host's zone. */
record SourceHistoryRow(long id, String jobId, String jobName, String cmd, boolean success, String output,
                        double cost, String schedulerName, LocalDateTime created) {
}
