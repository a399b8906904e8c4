"""Job functions of the other APScheduler services: schedule-server's requests_url(url) and a flask-apscheduler
style job. ruqi cannot know what they do, so migrate reports them. Never called."""


def requests_url(url):
    raise NotImplementedError("fixture stub")


def nightly_report(team, dry_run=False):
    raise NotImplementedError("fixture stub")
