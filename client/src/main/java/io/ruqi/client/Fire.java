package io.ruqi.client;

import java.time.LocalDateTime;

/**
 * A fire that {@link RuqiClient#run} started.
 *
 * @param fireTime in the service's time zone, to the second
 * @param fireId   {@code <job_id>@<fire time in epoch ms>}: the same in the fire's events and in its command's
 *                 {@code RUQI_FIRE_ID}
 */
public record Fire(String jobId, LocalDateTime fireTime, String fireId) {
}
