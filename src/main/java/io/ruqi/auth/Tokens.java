package io.ruqi.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks presented tokens against the configured ones. Every presented token is hashed and compared with every
 * configured hash in constant time, so neither the comparison nor the search tells an attacker how close a guess
 * was or which token matched.
 */
public final class Tokens {
  private final List<TokenSpec> tokens;

  public Tokens(List<TokenSpec> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  public boolean enabled() {
    return !tokens.isEmpty();
  }

  /** The caller a secret belongs to, or null. */
  public Caller authenticate(String secret) {
    if (secret == null || secret.isEmpty()) {
      return null;
    }
    byte[] presented = sha256(secret);
    Caller found = null;
    for (TokenSpec t : tokens) {
      if (MessageDigest.isEqual(presented, t.sha256()) && found == null) {
        found = new Caller(t.name(), t.role());
      }
    }
    return found;
  }

  /**
   * A token from configuration: {@code secret} is the token itself, or {@code sha256:<64 hex digits>} (the hash
   * of the token, as {@code printf %s TOKEN | sha256sum} prints it).
   *
   * @throws BadTokenException naming the field that is wrong
   */
  public static TokenSpec spec(String name, String role, String secret) {
    if (name == null || name.isBlank()) {
      throw new BadTokenException("name", "every token needs a name (it is written on audit rows)");
    }
    Role r = Role.parse(role);
    if (r == null) {
      throw new BadTokenException("role", "must be viewer, operator or admin (got '" + role + "')");
    }
    if (secret == null || secret.isBlank()) {
      throw new BadTokenException("token", "is empty");
    }
    if (secret.startsWith("sha256:")) {
      String hex = secret.substring("sha256:".length()).strip();
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new BadTokenException("token", "sha256: must be followed by 64 hex digits");
      }
      return new TokenSpec(name, r, HexFormat.of().parseHex(hex.toLowerCase()));
    }
    if (secret.length() < 16) {
      throw new BadTokenException("token", "is shorter than 16 characters; use a long random token");
    }
    return new TokenSpec(name, r, sha256(secret));
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
