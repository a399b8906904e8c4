package io.ruqi.migrate;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A Python time zone object read from a pickle: pytz's, zoneinfo's or {@code datetime.timezone}.
 *
 * @param zone   the zone it names (an IANA zone or a fixed offset)
 * @param offset for a pytz zone, the exact offset of the instance pickled (pytz pins each datetime to one), so a
 *               wall time in a repeated hour is read as APScheduler meant it; null when only the zone is known
 */
record PyZone(ZoneId zone, ZoneOffset offset) {
}
