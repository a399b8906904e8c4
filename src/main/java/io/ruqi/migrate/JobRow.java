package io.ruqi.migrate;

/** A source job row: its id, its pickled state and (RuQi only) its job_name column. */
record JobRow(String id, byte[] state, String jobName) {
}
