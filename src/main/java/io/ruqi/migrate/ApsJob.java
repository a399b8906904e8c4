package io.ruqi.migrate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An APScheduler 3 job as its pickled state holds it ({@code Job.__getstate__}).
 *
 * @param func             the function's textual reference, {@code module:name}
 * @param misfireGraceTime null: APScheduler's None, "run however late"
 * @param nextRunTime      null: paused
 */
record ApsJob(String id, String func, List<Object> args, Map<String, Object> kwargs, String name, ApsTrigger trigger,
              Duration misfireGraceTime, boolean coalesce, int maxInstances, Instant nextRunTime) {
}
