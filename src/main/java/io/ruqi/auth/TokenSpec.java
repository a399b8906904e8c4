package io.ruqi.auth;

/**
 * A configured token: its name (written on audit rows), its role, and the SHA-256 of the secret, so the
 * configuration need not hold the secret itself.
 */
public record TokenSpec(String name, Role role, byte[] sha256) {
}
