# coding=utf8
"""Stub of RuQi's xlib.apscheduler.manager: the job functions a RuQi job's pickle refers to
(xlib.apscheduler.manager:run_cmd, run_http, run_mq), with RuQi's keyword arguments. Never called."""


def run_cmd(job_id, job_name, cmd):
    raise NotImplementedError("fixture stub")


def run_http(job_id, job_name, cmd):
    raise NotImplementedError("fixture stub")


def run_mq(job_id, job_name, cmd):
    raise NotImplementedError("fixture stub")
