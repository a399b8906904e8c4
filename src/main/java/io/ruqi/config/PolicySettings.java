package io.ruqi.config;

import java.util.List;

/**
 * Command allowlists; an empty list allows everything of its kind.
 *
 * @param programs  program names ({@code bash}) or path patterns ({@code /opt/jobs/*}, {@code scripts/**})
 * @param httpHosts hosts ({@code api.example.com}, {@code *.example.com}, {@code 127.0.0.1:8080}) HTTP commands may call
 */
public record PolicySettings(List<String> programs, List<String> httpHosts) {
}
