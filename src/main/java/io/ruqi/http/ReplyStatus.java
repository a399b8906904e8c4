package io.ruqi.http;

import io.ruqi.config.StatusCodes;

import java.util.Set;

/**
 * The HTTP status an answer goes out with. RuQi answered every handled request 200 and put the outcome in
 * {@code stat}; its client helper, {@code requests}' {@code raise_for_status()} and axios drop a non-200 answer
 * unread, so on the RuQi routes ruqi does the same by default ({@code api.http_status: ruqi}). What stays is what a
 * party other than the client must see, whatever the body says:
 * <ul>
 * <li>401 and 403: RuQi's own deployment answered them from its gateway (nginx {@code auth_request}), so its
 *     clients already met them; browsers and the console ask for a token on a 401; and a refused cross-site or
 *     rebound request must not look like an answer;</li>
 * <li>413: the body was not read and the connection is closed (nginx answers the same for
 *     {@code client_max_body_size});</li>
 * <li>429, 503, 504: a load balancer retries on another node on them (conf/ha/haproxy.cfg retries 503,
 *     nginx.conf 503 and 504), and a client should back off.</li>
 * </ul>
 * A path that is no operation stays 404: it is not a RuQi route, and a mistyped URL should look like one.
 */
final class ReplyStatus {
  private static final Set<Integer> KEPT = Set.of(401, 403, 413, 429, 503, 504);

  private ReplyStatus() {
  }

  /** @param ruqiRoute whether the request is for a RuQi operation ({@code /ruqi/<op>}) */
  static int onTheWire(StatusCodes style, boolean ruqiRoute, int status) {
    if (style == StatusCodes.RUQI && ruqiRoute && !KEPT.contains(status)) {
      return 200;
    }
    return status;
  }
}
