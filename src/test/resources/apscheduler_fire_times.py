# Reference fire times from APScheduler 3 (Debian's python3-apscheduler), for ApschedulerReferenceTest.
# Reads a JSON list of cases on stdin: {"fields": [second, minute, hour, day, month, day_of_week]} or
# {"interval": seconds, "anchor": epoch ms}, with "zone", "from" (epoch ms) and "count"; prints, per case,
# {"times": [epoch ms, ...], "listed": "<the fields as APScheduler renders them>"}, or {"error": "..."}.
# Fires are those strictly after "from", as ruqi's Trigger.next gives them; the cron fields are passed the way
# RuQi's manager passed them (every field explicit, year and week "*").
import json
import sys
from datetime import datetime, timedelta

import pytz
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

NAMES = ["second", "minute", "hour", "day", "month", "day_of_week"]


def ms(dt):
    return int(round(dt.timestamp() * 1000))


def at(epoch_ms, zone):
    return datetime.fromtimestamp(epoch_ms / 1000.0, zone)


def answer(case):
    zone = pytz.timezone(case["zone"])
    if "fields" in case:
        trigger = CronTrigger(timezone=zone, **dict(zip(NAMES, case["fields"])))
        by_name = {f.name: str(f) for f in trigger.fields}
        listed = " ".join(by_name[n] for n in NAMES)
    else:
        step = timedelta(seconds=case["interval"])
        trigger = IntervalTrigger(seconds=case["interval"], start_date=at(case["anchor"], zone) + step,
                                  timezone=zone)
        listed = None
    now = at(case["from"], zone) + timedelta(microseconds=1)
    times = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(times) < case["count"]:
        times.append(ms(fire))
        fire = trigger.get_next_fire_time(fire, fire)
    return {"times": times, "listed": listed}


out = []
for case in json.load(sys.stdin):
    try:
        out.append(answer(case))
    except Exception as e:  # a rule APScheduler refuses is an answer too
        out.append({"error": "%s: %s" % (type(e).__name__, e)})
print(json.dumps(out))
