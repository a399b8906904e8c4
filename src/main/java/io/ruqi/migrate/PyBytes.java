package io.ruqi.migrate;

/**
 * A Python 2 {@code str} that is not plain ASCII: bytes, whose meaning (UTF-8 text, or a datetime's packed state)
 * only its use knows. Plain-ASCII ones stay Java strings, so dict keys and names read as they are.
 */
record PyBytes(byte[] bytes) {
}
