from apscheduler.triggers.cron import CronTrigger as _CronTrigger

from xlib.apscheduler.triggers import naive


class CronTrigger(_CronTrigger):
    def __getstate__(self):
        return {'version': 2, 'start_date': naive(self.start_date), 'end_date': naive(self.end_date),
                'fields': self.fields, 'jitter': self.jitter}
