package io.ruqi.config;

import java.time.Duration;
import java.util.List;

/**
 * What the HTTP face trusts and how long it waits.
 *
 * @param allowedHosts       names the service is reached by, checked against each request's {@code Host} (DNS
 *                           rebinding); lower case, without port; {@code *.example.com} matches below it, {@code *}
 *                           turns the check off. Loopback names, the bind address and IP addresses are always accepted
 * @param idleTimeout        a connection with no bytes in either direction for this long is closed
 * @param requestReadTimeout a client has this long to send a whole request, headers and body, once it has connected
 *                           (slowloris)
 * @param statusCodes        the HTTP status of the RuQi routes' answers: RuQi's 200 with {@code stat}, or REST codes
 */
public record HttpSettings(List<String> allowedHosts, Duration idleTimeout, Duration requestReadTimeout,
                           StatusCodes statusCodes) {

  public HttpSettings(List<String> allowedHosts, Duration idleTimeout, Duration requestReadTimeout) {
    this(allowedHosts, idleTimeout, requestReadTimeout, StatusCodes.RUQI);
  }
}
