"""Stand-ins for the triggers of RuQi's APScheduler fork (xlib.apscheduler.triggers): the fork removed time zones, so
its pickled triggers carry no 'timezone' and hold naive wall times of the RuQi host's zone. Each stand-in is
APScheduler's own trigger (so it computes fire times the same way) that pickles as the fork's does."""


def naive(t):
    return None if t is None else t.replace(tzinfo=None)
