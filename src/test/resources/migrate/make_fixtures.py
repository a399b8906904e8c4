#!/usr/bin/python3
"""Fixture tables for the migrate tests, made with Debian's python3-apscheduler (APScheduler 3) in a test database:

- RuQi's ``ruqi_jobs`` (peewee's table of RuQi's MySQL job store: ``job_state`` is ``pickle.dumps`` of the job's
  state with Python 2's default protocol 0) and ``ruqi_jobs_history``;
- APScheduler's ``SQLAlchemyJobStore`` table ``apscheduler_jobs`` (flask-apscheduler, schedule-server), written by
  APScheduler's own job store (its newest pickle protocol).

Prints JSON on stdout: for every job what migrate should make of it and what APScheduler itself computes for its
trigger (its stored next run time and its next five fire times after a reference instant), so that the test can
compare ruqi's fire times with APScheduler's. Times are integer microseconds since the epoch.

usage: /usr/bin/python3 make_fixtures.py HOST PORT USER PASSWORD DATABASE
"""
import copy
import datetime as dt
import json
import os
import pickle
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the stubs: xlib (RuQi), peer_tasks

import pymysql  # noqa: E402
import pytz  # noqa: E402
from apscheduler.job import Job  # noqa: E402
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # noqa: E402
from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402
from apscheduler.triggers.cron import CronTrigger  # noqa: E402
from apscheduler.triggers.date import DateTrigger  # noqa: E402
from apscheduler.triggers.interval import IntervalTrigger  # noqa: E402

import peer_tasks  # noqa: E402
from xlib.apscheduler import triggers as fork  # noqa: E402
from xlib.apscheduler.manager import run_cmd, run_http, run_mq  # noqa: E402
from xlib.apscheduler.triggers.cron import CronTrigger as ForkCron  # noqa: E402
from xlib.apscheduler.triggers.date import DateTrigger as ForkDate  # noqa: E402
from xlib.apscheduler.triggers.interval import IntervalTrigger as ForkInterval  # noqa: E402

# RuQi's fork kept naive wall times of its host; the test migrates its rows with --source-timezone this zone
RUQI_HOST_ZONE = 'Asia/Shanghai'
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

host, port, user, password, database = sys.argv[1:6]
now = dt.datetime.now(dt.timezone.utc)
# fire times are compared after this instant: an hour on, half-way through a second, so that no fire falls on it
reference = now.replace(microsecond=500000) + dt.timedelta(hours=1)
scheduler = BackgroundScheduler(timezone='UTC')  # never started: only a Job's owner


def micros(t):
    return None if t is None else (t - EPOCH) // dt.timedelta(microseconds=1)


def next_five(trigger):
    times = []
    t = trigger.get_next_fire_time(None, reference)
    while t is not None and len(times) < 5:
        times.append(micros(t))
        t = trigger.get_next_fire_time(t, t)
    return times


def job(id, func, trigger, name='fixtures', cmd=None, args=(), paused=False, misfire=30, coalesce=False,
        max_instances=1, expect_trigger=None):
    kwargs = {} if cmd is None else {'job_id': id, 'job_name': name, 'cmd': cmd}
    next_run = None if paused else trigger.get_next_fire_time(None, now)
    j = Job(scheduler, id=id, func=func, trigger=trigger, executor='default', args=args, kwargs=kwargs, name=name,
            misfire_grace_time=misfire, coalesce=coalesce, max_instances=max_instances, next_run_time=next_run)
    # a trigger with jitter fires at random; its fire times are compared without it
    fires = next_five(expect_trigger or trigger)
    return j, {'id': id, 'paused': paused, 'next_run_time': micros(next_run), 'fires': fires,
               'jittered': expect_trigger is not None}


def cron(tz='UTC', fork_style=False, **fields):
    if fork_style:
        return ForkCron(timezone=RUQI_HOST_ZONE, **fields)
    return CronTrigger(timezone=tz, **fields)


def ruqi_cron(rule, tz='UTC', fork_style=False, **extra):
    """A cron trigger as RuQi's manager made one: six fields, seconds first, each given."""
    s, mi, h, d, mo, dow = rule.split(' ')
    return cron(tz, fork_style, second=s, minute=mi, hour=h, day=d, month=mo, day_of_week=dow, **extra)


def in_zone(zone, *args):
    return pytz.timezone(zone).localize(dt.datetime(*args))


migrated = 'migrated'
ruqi_rows = []   # (job, expectation, row's job_trigger, job_rule)
aps_rows = []


def ruqi(j_and_e, expect=migrated, reason=None, fork_style=False, trigger_name='', rule=''):
    j, e = j_and_e
    e.update(table='ruqi_jobs', expect=expect, reason=reason)
    ruqi_rows.append((j, e, fork_style, trigger_name, rule))


def aps(j_and_e, expect=migrated, reason=None):
    j, e = j_and_e
    e.update(table='apscheduler_jobs', expect=expect, reason=reason)
    aps_rows.append((j, e))


# --- RuQi's jobs: what its manager made (run_cmd / run_http / run_mq, misfire 30 s, coalesce off) ---------------
ruqi(job('cron_daily', run_cmd, ruqi_cron('0 20 2 * * *', 'Asia/Shanghai'), name='rdb',
         cmd='bash scripts/backup.sh --full'), trigger_name='cron', rule='0 20 2 * * *')
ruqi(job('cron_steps', run_cmd, ruqi_cron('*/15 5-40/5 * * * *', 'America/New_York'), cmd='bash scripts/poll.sh'),
     trigger_name='cron', rule='*/15 5-40/5 * * * *')
ruqi(job('cron_weekdays', run_cmd, ruqi_cron('0 30 9 * * mon-fri', 'Europe/Berlin'), cmd='python scripts/a.py x'),
     trigger_name='cron', rule='0 30 9 * * mon-fri')
ruqi(job('cron_numbered_weekdays', run_cmd, ruqi_cron('0 0 8 * * 0,2,4', 'UTC'), cmd='bash scripts/mwf.sh'),
     trigger_name='cron', rule='0 0 8 * * 0,2,4')
ruqi(job('cron_weekday_step', run_cmd, ruqi_cron('0 0 12 * * */2', 'UTC'), cmd='bash scripts/alt.sh'),
     trigger_name='cron', rule='0 0 12 * * */2')
ruqi(job('cron_offset_step', run_cmd, ruqi_cron('5/20 * * * * *', 'Asia/Tokyo'), cmd='bash scripts/fast.sh'),
     trigger_name='cron', rule='5/20 * * * * *')
ruqi(job('cron_last_day', run_cmd, ruqi_cron('0 0 23 last * *', 'Asia/Tokyo'), cmd='bash scripts/eom.sh'),
     trigger_name='cron', rule='0 0 23 last * *')
ruqi(job('cron_months', run_cmd, ruqi_cron('0 0 0 1 jan,apr,jul,oct *', 'Asia/Kolkata'), cmd='bash scripts/q.sh'),
     trigger_name='cron', rule='0 0 0 1 jan,apr,jul,oct *')
ruqi(job('cron_paused', run_cmd, ruqi_cron('0 0 6 * * *', 'Asia/Shanghai'), cmd='bash scripts/p.sh', paused=True),
     trigger_name='cron', rule='0 0 6 * * *')
ruqi(job('cron_unicode', run_cmd, ruqi_cron('30 0 1 * * *', 'Asia/Shanghai'), name='备份',
         cmd="bash scripts/备份.sh '每日 全量'"), trigger_name='cron', rule='30 0 1 * * *')
ruqi(job('interval_10s', run_cmd, IntervalTrigger(seconds=10, timezone='Asia/Shanghai'), cmd='bash scripts/t.sh'),
     trigger_name='interval', rule='10s')
ruqi(job('interval_paused', run_cmd, IntervalTrigger(minutes=5, timezone='UTC'), cmd='bash scripts/t.sh', paused=True),
     trigger_name='interval', rule='300s')
ruqi(job('date_future', run_cmd, DateTrigger(run_date=in_zone('America/Los_Angeles', 2040, 2, 29, 13, 45, 7),
                                              timezone='America/Los_Angeles'), cmd='bash scripts/once.sh'),
     trigger_name='date', rule='2040-02-29 13:45:07')
ruqi(job('http_hook', run_http, ruqi_cron('0 */10 * * * *', 'Asia/Shanghai'),
         cmd='http://127.0.0.1:9/hook#{"team": "rdb", "n": 1}'), trigger_name='cron', rule='0 */10 * * * *')
ruqi(job('mq_message', run_mq, IntervalTrigger(minutes=1, timezone='Asia/Shanghai'),
         cmd='/demo_api/hello#{"x": 1}'), trigger_name='interval', rule='60s')
# RuQi ran cmds through the shell; ruqi refuses a shell operator rather than guess what was meant
ruqi(job('shell_pipe', run_cmd, ruqi_cron('0 0 3 * * *', 'Asia/Shanghai'), cmd='bash scripts/x.sh | tee out.log'),
     expect='reported', reason='shell', trigger_name='cron', rule='0 0 3 * * *')
# RuQi's one-shot whose time passed while it was down: APScheduler would only record it missed
past = now - dt.timedelta(hours=2)
ruqi(job('date_past', run_cmd, DateTrigger(run_date=past, timezone='UTC'), cmd='bash scripts/late.sh'),
     expect='reported', reason='past', trigger_name='date', rule=str(past))
# the fork's own pickles: no time zone, naive wall times of RuQi's host
ruqi(job('fork_cron', run_cmd, ruqi_cron('0 15 10 * * mon-fri', fork_style=True), cmd='bash scripts/fork.sh'),
     fork_style=True, trigger_name='cron', rule='0 15 10 * * mon-fri')
ruqi(job('fork_interval', run_cmd, ForkInterval(hours=2, start_date=in_zone(RUQI_HOST_ZONE, 2024, 3, 1, 0, 0, 30),
                                                 timezone=RUQI_HOST_ZONE), cmd='bash scripts/fork2.sh'),
     fork_style=True, trigger_name='interval', rule='7200s')
ruqi(job('fork_date', run_cmd, ForkDate(run_date=in_zone(RUQI_HOST_ZONE, 2039, 12, 31, 23, 59, 58, 682862),
                                        timezone=RUQI_HOST_ZONE), cmd='bash scripts/fork3.sh'),
     fork_style=True, trigger_name='date', rule='2039-12-31 23:59:58.682862')

# --- APScheduler's own table: other services' jobs, and everything APScheduler 3 allows -----------------------
aps(job('aps_second_friday', run_cmd, cron('Australia/Sydney', day='2nd fri', hour=10), cmd='bash scripts/f.sh'))
aps(job('aps_last_sunday', run_cmd, cron('UTC', day='last sun', hour=3, minute=30), cmd='bash scripts/s.sh'))
aps(job('aps_defaults', run_cmd, cron('Europe/London', day=1, minute=20), cmd='bash scripts/d.sh'))
aps(job('aps_bounded', run_cmd, cron('Asia/Shanghai', hour='9-17/2', minute=0,
                                     start_date=in_zone('Asia/Shanghai', 2030, 1, 1),
                                     end_date=in_zone('Asia/Shanghai', 2045, 6, 30, 23, 59, 59)),
        cmd='bash scripts/b.sh'))
aps(job('aps_jitter', run_cmd, cron('UTC', minute='*/30', jitter=20), cmd='bash scripts/j.sh',
        expect_trigger=cron('UTC', minute='*/30')))
aps(job('aps_policies', run_cmd, IntervalTrigger(hours=1, minutes=30, timezone='Europe/Berlin'), cmd='bash scripts/p.sh',
        misfire=None, coalesce=True, max_instances=3))
aps(job('aps_interval_bounded', run_cmd, IntervalTrigger(days=2, start_date=in_zone('UTC', 2020, 5, 5, 5, 5, 5),
                                                         end_date=in_zone('UTC', 2040, 1, 1), timezone='UTC'),
        cmd='bash scripts/i.sh'))
aps(job('aps_date_paused', run_cmd, DateTrigger(run_date=in_zone('UTC', 2041, 1, 1, 0, 0, 0), timezone='UTC'),
        cmd='bash scripts/dp.sh', paused=True))
aps(job('aps_fixed_offset', run_cmd, CronTrigger(hour=7, timezone=pytz.FixedOffset(480)), cmd='bash scripts/o.sh'))
aps(job('aps_year', run_cmd, cron('UTC', year=2031, month=6, day=1), cmd='bash scripts/y.sh'),
    expect='reported', reason='year')
aps(job('aps_week', run_cmd, cron('UTC', week='10', hour=1), cmd='bash scripts/w.sh'),
    expect='reported', reason='week')
aps(job('aps_subsecond', run_cmd, IntervalTrigger(seconds=1.5, timezone='UTC'), cmd='bash scripts/h.sh'),
    expect='reported', reason='whole number')
aps(job('schedule_server_get', peer_tasks.requests_url, cron('UTC', minute='*/3', second=0),
        args=('https://example.com/ping?id=333',)), expect='reported', reason='peer_tasks:requests_url')
aps(job('flask_report', peer_tasks.nightly_report, cron('UTC', hour=2), args=('ops',)),
    expect='reported', reason='peer_tasks:nightly_report')

# a zoneinfo time zone, as APScheduler 3.11 pickles them: the trigger is APScheduler 3.9's with pytz (so that it
# computes), then pickled with the ZoneInfo of the same name
zoned_job, zoned = job('aps_zoneinfo', run_cmd, cron('Europe/Paris', hour=18, minute=45), cmd='bash scripts/z.sh')
zoned_job.trigger.timezone = zoneinfo.ZoneInfo('Europe/Paris')
aps((zoned_job, zoned))
offset_job, offset = job('aps_datetime_timezone', run_cmd, CronTrigger(hour=21, timezone=pytz.FixedOffset(-180)),
                         cmd='bash scripts/o2.sh')
offset_job.trigger.timezone = dt.timezone(dt.timedelta(hours=-3))
aps((offset_job, offset))

conn = pymysql.connect(host=host, port=int(port), user=user, password=password, database=database,
                       charset='utf8mb4', autocommit=True)
with conn.cursor() as c:
    # peewee's DDL of RuQi's models (xlib/apscheduler/models/apscheduler_model.py)
    c.execute("""CREATE TABLE ruqi_jobs (
        id VARCHAR(255) NOT NULL PRIMARY KEY, next_run_time DOUBLE NULL, job_state BLOB NOT NULL,
        job_lock TINYINT(1) NOT NULL, job_name VARCHAR(64) NULL, job_trigger VARCHAR(16) NULL,
        job_rule VARCHAR(64) NULL, u_time DATETIME NOT NULL, c_time DATETIME NOT NULL,
        KEY ruqijobs_next_run_time (next_run_time), KEY ruqijobs_job_lock (job_lock), KEY ruqijobs_job_name (job_name)
        ) DEFAULT CHARSET=utf8mb4""")
    c.execute("""CREATE TABLE ruqi_jobs_history (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, job_id VARCHAR(255) NOT NULL, job_name VARCHAR(255) NOT NULL,
        cmd VARCHAR(64) NOT NULL, cmd_is_success TINYINT(1) NOT NULL, cmd_output VARCHAR(4096) NOT NULL,
        cmd_cost DOUBLE NOT NULL, scheduler_name VARCHAR(64) NOT NULL, c_time DATETIME NOT NULL
        ) DEFAULT CHARSET=utf8mb4""")
    host_zone = pytz.timezone(RUQI_HOST_ZONE)
    for j, e, fork_style, trigger_name, rule in ruqi_rows:
        state = j.__getstate__()
        if fork_style:
            state['next_run_time'] = fork.naive(None if j.next_run_time is None
                                                else j.next_run_time.astimezone(host_zone))
        c_time = now.astimezone(host_zone).replace(tzinfo=None, microsecond=0)
        c.execute("INSERT INTO ruqi_jobs VALUES (%s, %s, %s, 0, %s, %s, %s, %s, %s)",
                  (j.id, None if j.next_run_time is None else j.next_run_time.timestamp(),
                   pickle.dumps(state, 0), j.name, trigger_name, rule, c_time, c_time))
    history = [
        (17, 'cron_daily', 'rdb', 'bash scripts/backup.sh --full', 1, 'done', 0.105, 'host1:8585:12345',
         dt.datetime(2021, 4, 14, 11, 5, 1)),
        (18, 'cron_unicode', '备份', "bash scripts/备份.sh '每日 全量'", 0, '失败: 没有空间', 2.5, 'host2:8585:4242',
         dt.datetime(2021, 4, 14, 11, 5, 1)),
        # two runs of one job recorded in the same second (RuQi's DATETIME has no fraction)
        (19, 'interval_10s', 'fixtures', 'bash scripts/t.sh', 1, '', 0.0, 'host1:8585:12345',
         dt.datetime(2021, 4, 14, 11, 6, 0)),
        (20, 'interval_10s', 'fixtures', 'bash scripts/t.sh', 1, '', 0.0, 'host1:8585:12345',
         dt.datetime(2021, 4, 14, 11, 6, 0)),
        (1000, 'gone_job', 'old', 'http://127.0.0.1:9/x', 1, "{u'stat': u'OK'}", 0.25, 'host1:8585:12345',
         dt.datetime(2020, 12, 31, 23, 59, 59)),
    ]
    c.executemany("INSERT INTO ruqi_jobs_history VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", history)

store = SQLAlchemyJobStore(url='mysql+pymysql://%s:%s@%s:%s/%s?charset=utf8mb4' % (user, password, host, port,
                                                                                     database))
store.start(scheduler, 'default')
for j, e in aps_rows:
    store.add_job(j)
store.shutdown()

json.dump({
    'now': micros(now),
    'reference': micros(reference),
    'ruqi_host_zone': RUQI_HOST_ZONE,
    'jobs': [e for _, e, *_ in ruqi_rows] + [e for _, e in aps_rows],
    'history': [{'id': h[0], 'job_id': h[1], 'job_name': h[2], 'cmd': h[3], 'success': bool(h[4]), 'output': h[5],
                 'cost': h[6], 'scheduler_name': h[7],
                 'c_time': micros(host_zone.localize(h[8]))} for h in history],
}, sys.stdout, ensure_ascii=False)
