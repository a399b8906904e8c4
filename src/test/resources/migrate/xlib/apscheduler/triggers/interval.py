from apscheduler.triggers.interval import IntervalTrigger as _IntervalTrigger

from xlib.apscheduler.triggers import naive


class IntervalTrigger(_IntervalTrigger):
    def __getstate__(self):
        return {'version': 2, 'start_date': naive(self.start_date), 'end_date': naive(self.end_date),
                'interval': self.interval, 'jitter': self.jitter}
