"""`esaraban upgrade`: a backup first, then the migrations; a failed migration is undone from that backup.

MariaDB and MySQL commit every DDL statement by itself, so a migration that fails half-way cannot be rolled
back; the database is brought back from the archive taken a moment before instead, and the admin is told.
Nothing is restarted here: the running web and worker processes keep the old code until the admin restarts
them, which the command says.
"""
import functools
from dataclasses import dataclass

from flask import current_app

from app.extensions import db
from app.ops import backup as backups
from app.ops import restore as restores

RESTART_HINT = "systemctl restart esaraban-web esaraban-worker"


@dataclass
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    archive: object | None
    failure: BaseException | None = None
    restored: bool = False


def head_revision():
    """The newest revision the code's migrations know, read from their folder once per process (every admin
    page's status warning asks for it)."""
    return _head_of(current_app.extensions["migrate"].directory)


@functools.lru_cache(maxsize=4)
def _head_of(directory):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config(directory)) \
        .get_current_head()


def current_revision():
    from sqlalchemy import inspect, text

    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(*, migrate=None, progress=lambda message: None):
    """Back up, migrate to the head revision; on failure restore the backup. `migrate` is the step that
    runs the migrations (tests replace it with one that fails half-way)."""
    start, head = current_revision(), head_revision()
    passphrase = current_app.config["BACKUP_PASSPHRASE"]
    db.session.remove()
    if start == head:
        return UpgradeResult(start, head, None)
    archive = None
    if start is not None:
        archive = backups.backup(current_app.config["BACKUP_PATH"], keep=current_app.config["BACKUP_KEEP"],
                                 passphrase=passphrase, progress=progress, with_derived=True)
    db.session.remove()  # no transaction of ours may hold a table the migrations alter
    try:
        (migrate or _migrate)()
    except Exception as error:  # any failure of a migration is answered by putting the database back
        db.session.remove()
        if archive is None:
            return UpgradeResult(start, head, None, failure=error)
        restores.restore(archive.path, force=True, to_head=False, passphrase=passphrase, progress=progress)
        return UpgradeResult(start, current_revision(), archive, failure=error, restored=True)
    db.session.remove()
    return UpgradeResult(start, current_revision(), archive)


def _migrate():
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade()
