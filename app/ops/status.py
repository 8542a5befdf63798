"""What the IT officer checks each morning, shown by `esaraban status` and the admin's status page.

Each check says whether the admin must act. The cheap ones (backup age, workers, disk) also drive the red
banner on every admin page; LINE's quota is asked of LINE and so only for the page and the command.
"""
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app, has_request_context
from sqlalchemy import text

from app.core.jobs import job_queue
from app.core.messages import lazy_gettext as _l
from app.extensions import db
from app.ops import archive

BACKUP_MAX_AGE = timedelta(days=2)
OLDEST_JOB_MAX_AGE = timedelta(minutes=10)
DISK_MIN_FREE_FRACTION = 0.10
DISK_MIN_FREE_BYTES = 2 * 1024 ** 3
LINE_QUOTA_WARNING = 0.9
GIB = 1024 ** 3


@dataclass
class Check:
    key: str
    label: object
    ok: bool
    detail: str
    in_banner: bool = False  # shown on every admin page while it fails


def collect(*, ask_line=True, now=None):
    now = now or datetime.now(timezone.utc)
    checks = [_database(), *_jobs(now), _disk("files_disk", _l("Disk for attached files"), "FILES_PATH"),
              _disk("backup_disk", _l("Disk for backups"), "BACKUP_PATH"), _last_backup(now)]
    if ask_line:
        checks.append(_line_quota())
    checks.append(Check("version", _l("Version"), True, f"e-Saraban {_app_version()}"))
    return checks


def needing_admin(checks):
    return [check for check in checks if not check.ok]


def banner_checks():
    """The failing checks that every admin page warns of (cheap: no call to LINE)."""
    return [check for check in needing_admin(collect(ask_line=False)) if check.in_banner]


def _database():
    from app.ops.upgrade import head_revision

    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:  # a status command reports every failure instead of raising it
        db.session.rollback()
        return Check("database", _l("Database"), False, f"{type(error).__name__}: {error}"[:300], True)
    head = head_revision()
    if revision != head:
        return Check("database", _l("Database"), False,
                     str(_l("schema %(current)s, the app needs %(head)s: run esaraban upgrade",
                            current=revision or "-", head=head)), True)
    return Check("database", _l("Database"), True, str(_l("answers; schema %(revision)s", revision=revision)))


def _jobs(now):
    queue = job_queue()
    if queue.kind != "rq":
        if not has_request_context():  # the command is not the web process whose thread runs the jobs
            return [Check("workers", _l("Background jobs"), True,
                          str(_l("in the web process (no Redis): its /healthz tells whether they run")))]
        alive = queue.status()["alive"]
        return [Check("workers", _l("Background jobs"), alive,
                      str(_l("in the web process (no Redis)") if alive else _l("the job thread has stopped")),
                      True)]
    try:
        queue.connection.ping()
    except Exception as error:  # Redis away is a finding, not a crash
        return [Check("redis", _l("Redis"), False, f"{type(error).__name__}: {error}"[:300], True)]
    return [Check("redis", _l("Redis"), True, str(_l("answers"))), _workers(queue, now), _queue(queue, now)]


def _workers(queue, now):
    from rq import Worker

    alive = [w for w in Worker.all(queue=queue.queue)
             if w.last_heartbeat and now - _aware(w.last_heartbeat) < timedelta(seconds=w.worker_ttl + 60)]
    if not alive:
        return Check("workers", _l("Workers"), False, str(_l("no worker is running: start esaraban-worker")),
                     True)
    return Check("workers", _l("Workers"), True, str(_l("%(count)d running", count=len(alive))))


def _queue(queue, now):
    depth = queue.queue.count
    oldest = queue.queue.get_jobs(0, 1)
    age = now - _aware(oldest[0].enqueued_at) if oldest and oldest[0].enqueued_at else timedelta(0)
    ok = age < OLDEST_JOB_MAX_AGE
    return Check("queue", _l("Job queue"), ok, str(_l("%(count)d waiting, the oldest for %(minutes)d minutes",
                                                        count=depth, minutes=age.total_seconds() // 60)), True)


def _disk(key, label, setting):
    path = Path(current_app.config[setting])
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), Path("/"))
    usage = shutil.disk_usage(probe)
    ok = usage.free >= DISK_MIN_FREE_BYTES and usage.free >= usage.total * DISK_MIN_FREE_FRACTION
    return Check(key, label, ok, str(_l("%(free).1f GiB free of %(total).1f GiB at %(path)s",
                                          free=usage.free / GIB, total=usage.total / GIB, path=str(path))), True)


def _last_backup(now):
    archives = archive.archives_in(current_app.config["BACKUP_PATH"])
    if not archives:
        return Check("backup", _l("Last backup"), False, str(_l("none yet: run esaraban backup")), True)
    stamp = archive.ARCHIVE_NAME.match(archives[-1].name).group(1)
    made = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    age = now - made
    return Check("backup", _l("Last backup"), age <= BACKUP_MAX_AGE,
                 str(_l("%(name)s, %(hours)d hours ago", name=archives[-1].name, hours=age.total_seconds() // 3600)),
                 True)


def _line_quota():
    from app.notifications import line

    if not line.is_configured():
        return Check("line", _l("LINE"), True, str(_l("not set up: notices stay in the app")))
    try:
        limit, used = line.quota()
    except line.LineError as error:
        return Check("line", _l("LINE"), False, str(_l("LINE did not answer: %(error)s", error=str(error))))
    if limit is None:
        return Check("line", _l("LINE"), True, str(_l("%(used)d messages this month (no limit)", used=used)))
    return Check("line", _l("LINE"), used < limit * LINE_QUOTA_WARNING,
                 str(_l("%(used)d of %(limit)d messages this month", used=used, limit=limit)))


def _app_version():
    from app.ops.backup import app_version

    return app_version()


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
