-- ruqi's tables, in MySQL/MariaDB syntax. The service creates them at start when missing (the embedded H2 store
-- reads this same file in MySQL mode). Column names keep RuQi's (ruqi_jobs, ruqi_jobs_history) so tools that read
-- RuQi's tables keep working; what RuQi stored as a Python pickle is now plain columns and JSON. job_lock is one
-- of those names only: ruqi never sets it (claims are fenced by version and ruqi_running), a reader sees 0.
-- Times: next_run_time, start_date, end_date and anchor_time are epoch seconds (DOUBLE, as RuQi stored
-- next_run_time); DATETIME columns hold UTC.

CREATE TABLE IF NOT EXISTS ruqi_jobs (
  id            VARCHAR(255) NOT NULL,
  job_name      VARCHAR(255) NOT NULL,
  job_trigger   VARCHAR(16)  NOT NULL,
  job_rule      VARCHAR(255) NOT NULL,
  cmd           TEXT         NOT NULL,
  next_run_time DOUBLE       NULL,
  job_state     TEXT         NULL,
  job_lock      TINYINT(1)   NOT NULL DEFAULT 0,
  claim_token   VARCHAR(64)  NULL,
  timezone      VARCHAR(64)  NOT NULL,
  start_date    DOUBLE       NULL,
  end_date      DOUBLE       NULL,
  anchor_time   DOUBLE       NOT NULL,
  paused        TINYINT(1)   NOT NULL DEFAULT 0,
  version       BIGINT       NOT NULL DEFAULT 0,
  u_time        DATETIME(3)  NOT NULL,
  c_time        DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_ruqi_jobs_next_run_time (next_run_time),
  KEY ix_ruqi_jobs_job_name (job_name),
  KEY ix_ruqi_jobs_c_time (c_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per fire, whatever became of it (status: success, failed, timeout, missed, skipped, interrupted), and
-- one per retry (attempt 2, 3, ...). RuQi's columns first; cmd is TEXT (RuQi's VARCHAR(64) truncated commands).
CREATE TABLE IF NOT EXISTS ruqi_jobs_history (
  id             BIGINT        NOT NULL AUTO_INCREMENT,
  job_id         VARCHAR(255)  NOT NULL,
  job_name       VARCHAR(255)  NOT NULL,
  cmd            TEXT          NOT NULL,
  cmd_is_success TINYINT(1)    NOT NULL,
  cmd_output     VARCHAR(4096) NOT NULL,
  cmd_cost       DOUBLE        NOT NULL,
  scheduler_name VARCHAR(255)  NOT NULL,
  c_time         DATETIME(3)   NOT NULL,
  fire_time      DATETIME(3)   NOT NULL,
  start_time     DATETIME(3)   NULL,
  status         VARCHAR(16)   NOT NULL,
  attempt        INT           NOT NULL DEFAULT 1,
  exit_code      INT           NULL,
  worker         VARCHAR(255)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ux_ruqi_jobs_history_fire (job_id, fire_time, attempt),
  KEY ix_ruqi_jobs_history_c_time (c_time),
  KEY ix_ruqi_jobs_history_job_id (job_id, c_time),
  KEY ix_ruqi_jobs_history_job_name (job_name, c_time),
  KEY ix_ruqi_jobs_history_status (status, c_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The console's charts count rows by fire time, status and lateness (history_stats): this index covers that query,
-- so a day of a busy install is read from the index alone. Created apart, so that existing tables get it too; MySQL
-- has no CREATE INDEX IF NOT EXISTS, so the service takes "the index exists" as done (store/SchemaInstaller).
CREATE INDEX ix_ruqi_jobs_history_fire_time
  ON ruqi_jobs_history (fire_time, status, attempt, start_time);

-- The worker node that ran a row's fire (jobs with run_on or broadcast; NULL when the scheduler's node ran it).
-- Added apart, so that tables made before it get it too; "the column exists" is done (store/SchemaInstaller).
ALTER TABLE ruqi_jobs_history ADD COLUMN worker VARCHAR(255) NULL;

-- Fires claimed and not yet finished. A row is written in the same transaction as the claim that moved the job's
-- next_run_time on, and removed with the fire's last history row: its primary key is what stops a fire from running
-- twice and counting a job's rows is max_instances across nodes. start_time is NULL while a fire claimed ahead waits
-- for its time; it is set just before the run starts. Of a dead node's rows, a peer runs those never started and
-- records the started ones "interrupted" (or runs them again: delivery at_least_once), each by a change
-- conditional on the row as read; a fire ended without a run loses its row with its history row.
CREATE TABLE IF NOT EXISTS ruqi_running (
  job_id       VARCHAR(255) NOT NULL,
  fire_time    DATETIME(3)  NOT NULL,
  node         VARCHAR(255) NOT NULL,
  start_time   DATETIME(3)  NULL,
  PRIMARY KEY (job_id, fire_time),
  KEY ix_ruqi_running_node (node)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Job chains (on_success, on_failure): a chained fire names the fire whose end started it, on its running row and
-- on its history rows (NULL for a fire of the job's own schedule or a run by hand). Added apart, so that existing
-- tables get the columns too; MySQL has no ADD COLUMN IF NOT EXISTS, so the service takes "the column exists" as
-- done (store/SchemaInstaller).
ALTER TABLE ruqi_jobs_history ADD COLUMN parent_fire_id VARCHAR(300) NULL;
ALTER TABLE ruqi_running ADD COLUMN parent_fire_id VARCHAR(300) NULL;

-- One row per scheduler node: its lease, renewed every third of a lease. Every fire a node holds in ruqi_running
-- is its own while the lease lasts; once it has run out, the node is dead to its peers, who take its fires over.
-- lease_until is written and compared with the database's clock (UTC), never a node's.
CREATE TABLE IF NOT EXISTS ruqi_nodes (
  node         VARCHAR(255) NOT NULL,
  lease_until  DATETIME(3)  NOT NULL,
  PRIMARY KEY (node)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The whole scheduler's maintenance switch (APScheduler's pause and resume), one row that every node reads: while
-- it says paused, no node claims a fire (each claim reads it, so a claim after the pause's commit sees it), and the
-- fires due meanwhile are judged by their misfire grace when it says running again.
CREATE TABLE IF NOT EXISTS ruqi_scheduler (
  name         VARCHAR(32)  NOT NULL,
  paused       TINYINT(1)   NOT NULL DEFAULT 0,
  u_time       DATETIME(3)  NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO ruqi_scheduler (name, paused) VALUES ('scheduler', 0);

-- Every change made through the API: who (the token's name, "anonymous" on an open service, "eventbus" for a
-- cluster peer), which operation, which job, and the job before and after (JSON, as job_show shows it).
CREATE TABLE IF NOT EXISTS ruqi_audit (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  c_time       DATETIME(3)  NOT NULL,
  actor        VARCHAR(255) NOT NULL,
  operation    VARCHAR(32)  NOT NULL,
  job_id       VARCHAR(255) NULL,
  before_value TEXT         NULL,
  after_value  TEXT         NULL,
  node         VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_ruqi_audit_c_time (c_time),
  KEY ix_ruqi_audit_job_id (job_id, c_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Named calendars of days (holidays): a job that names one (its options' calendar and calendar_mode) does not run
-- on the days it lists (skip), or runs only on them (only). days is a JSON array of text: 'YYYY-MM-DD', an inclusive
-- range 'YYYY-MM-DD..YYYY-MM-DD', or '--MM-DD' for every year; at most 1,000 entries, so that a calendar before and
-- after fits in one audit row. version counts the changes; each node reloads a calendar whose version it has not
-- seen (api.CalendarCommands, schedule.Calendars). Added by a later release: CREATE IF NOT EXISTS upgrades an
-- existing database.
CREATE TABLE IF NOT EXISTS ruqi_calendar (
  name         VARCHAR(64)  NOT NULL,
  days         TEXT         NOT NULL,
  version      BIGINT       NOT NULL,
  c_time       DATETIME(3)  NOT NULL,
  u_time       DATETIME(3)  NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
