package io.ruqi.config;

import io.ruqi.auth.TokenSpec;

import java.util.List;

/**
 * @param anonymous   serve without tokens on a non-loopback address (an explicit, logged choice)
 * @param metricsOpen serve /metrics without a token (for a Prometheus that cannot send one)
 */
public record AuthSettings(List<TokenSpec> tokens, boolean anonymous, boolean metricsOpen) {
}
