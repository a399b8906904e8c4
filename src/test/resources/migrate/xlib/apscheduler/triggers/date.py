from apscheduler.triggers.date import DateTrigger as _DateTrigger

from xlib.apscheduler.triggers import naive


class DateTrigger(_DateTrigger):
    def __getstate__(self):
        return {'version': 1, 'run_date': naive(self.run_date)}
