package io.ruqi.migrate;

/**
 * Which tables of the source database hold jobs and history.
 *
 * @param jobs    RuQi's {@code ruqi_jobs} or an APScheduler {@code SQLAlchemyJobStore} table
 * @param ruqi    whether it is RuQi's (with its job_name column and, maybe, its history)
 * @param history whether RuQi's {@code ruqi_jobs_history} is there to bring along
 */
record SourceTables(String jobs, boolean ruqi, boolean history) {
}
