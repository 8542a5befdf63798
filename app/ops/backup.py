"""Backup of the whole system: the database and the attached files (R2: one IT officer; restore.py reads it back).

The database is read in ONE read-only transaction (MariaDB/MySQL: REPEATABLE READ WITH CONSISTENT SNAPSHOT;
SQLite: one read transaction), so the archive is what the system was at one moment while people go on
working: InnoDB's snapshot takes no locks, and registering letters meanwhile neither waits nor shows up half
in the archive. Rows are written table by table as typed JSON lines, not as SQL: a restore builds the schema
by the project's own migrations up to the archive's revision, loads the rows, and migrates on to today's
schema, so an archive restores onto MariaDB, MySQL 8 or SQLite alike. Derived data (the search rows) is
left out and rebuilt by the restore.
"""
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import MetaData, func, select, text

from app.attachments.storage import FileStore
from app.extensions import db
from app.ops import archive, crypto
from app.ops.archive import ArchiveError
from app.ops.rows import encode_row

DERIVED_TABLES = frozenset({"search_entry", "search_gram", "search_pending"})
READ_BATCH = 1000


def backed_up_tables():
    return [table for table in db.metadata.sorted_tables if table.name not in DERIVED_TABLES]


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    files_copied: int
    seconds: float
    removed: list = field(default_factory=list)


def app_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("e-saraban")
    except PackageNotFoundError:
        return "unknown"


def schema_revision(connection):
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(backup_root, *, keep, passphrase=None, progress: Callable[[str], None] = lambda message: None,
           now=None, with_derived=False):
    """Write one archive into `backup_root`, copy new attached files into its pool, keep the last `keep`;
    all encrypted with `passphrase` when given. `with_derived` keeps the search rows too, so a restore needs
    no rebuild (the archive taken before an upgrade, which must put the database back exactly as it was)."""
    started = time.monotonic()
    root = Path(backup_root)
    root.mkdir(parents=True, exist_ok=True)
    key = folder_key(root, passphrase, create=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    writer = archive.ArchiveWriter(root / f"esaraban-backup-{stamp}.tar{'.enc' if key else ''}", key)
    try:
        with _snapshot() as connection:
            schema = tables_as_they_are(connection)  # the database's own, which may be older than the models
            tables = {}
            for table in schema.sorted_tables:
                if table.name == "alembic_version" or (table.name in DERIVED_TABLES and not with_derived):
                    continue
                progress(f"{table.name}")
                rows = writer.add_table(table.name, _table_lines(connection, table))
                tables[table.name] = {"rows": rows, "columns": [c.name for c in table.columns]}
            attachment = schema.tables["attachment"]
            files = dict(connection.execute(select(attachment.c.sha256, func.max(attachment.c.size))
                                            .group_by(attachment.c.sha256)).all())
            revision = schema_revision(connection)
        copied = _copy_files(files, root, key, progress)
        manifest = writer.close({
            "app_version": app_version(), "schema_revision": revision,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "database": db.engine.dialect.name, "organisation": organisation_name(),
            "tables": tables, "files": files, "with_derived": with_derived,
        })
    except BaseException:
        writer.abandon()
        raise
    archive.write_file_list(writer.final_path, files, key)
    removed = prune(root, keep, key)
    return BackupResult(writer.final_path, manifest, copied, time.monotonic() - started, removed)


class _snapshot:
    """A connection inside one consistent read-only transaction."""

    def __enter__(self):
        self.connection = db.engine.connect()
        if db.engine.dialect.name in ("mysql", "mariadb"):
            self.connection.exec_driver_sql("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.connection.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        else:
            self.connection.exec_driver_sql("BEGIN")
            self.connection.exec_driver_sql("SELECT count(*) FROM sqlite_master")  # the read snapshot starts
        return self.connection

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()


def tables_as_they_are(connection):
    schema = MetaData()
    schema.reflect(bind=connection)
    return schema


def _table_lines(connection, table):
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(stream_results=True, yield_per=READ_BATCH).execute(
        select(table).order_by(*order))
    for row in result:
        yield encode_row(row)


def folder_key(root, passphrase, *, create=False):
    """The folder's key, or None for a folder of plain backups; never both kinds in one folder."""
    if passphrase:
        if not crypto.is_encrypted_folder(root) and (archive.archives_in(root) or (Path(root) / "files").exists()):
            raise ArchiveError(f"{root} holds unencrypted backups: give encrypted ones a BACKUP_PATH of their own")
        try:
            return crypto.folder_key(root, passphrase, create=create)
        except crypto.CryptoError as error:
            raise ArchiveError(str(error)) from error
    if crypto.is_encrypted_folder(root):
        raise ArchiveError(f"{root} holds encrypted backups: set BACKUP_PASSPHRASE")
    return None


def _copy_files(files, root, key, progress):
    store, copied = FileStore(current_app.config["FILES_PATH"]), 0
    for index, sha256 in enumerate(sorted(files), start=1):
        if archive.copy_into_pool(store.path_for(sha256), root, sha256, key):
            copied += 1
        if index % 500 == 0:
            progress(f"files {index}/{len(files)}")
    return copied


def prune(root, keep, key=None):
    """Remove all but the newest `keep` archives, then the pool files no kept archive names."""
    archives = archive.archives_in(root)
    removed = archives[:-keep] if keep and len(archives) > keep else []
    for path in removed:
        path.unlink()
        Path(f"{path}.files").unlink(missing_ok=True)
    if removed:
        wanted = set()
        for path in archive.archives_in(root):
            wanted |= archive.read_file_list(path, key)
        for pooled in (Path(root) / "files").glob("*/*/*"):
            if pooled.name not in wanted:
                pooled.unlink()
    return removed


def organisation_name():
    from app.org.models import Unit

    top = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    return top.name_th if top else ""


def describe(manifest):
    """The lines `esaraban` prints about an archive."""
    total = sum(t["rows"] for t in manifest["tables"].values())
    return [f"{manifest.get('organisation') or '-'} · {manifest['created_at']} · e-Saraban "
            f"{manifest['app_version']} · schema {manifest['schema_revision']} · {manifest['database']}",
            f"{len(manifest['tables'])} tables, {total} rows, {len(manifest['files'])} attached files",
            json.dumps({name: t["rows"] for name, t in manifest["tables"].items() if t["rows"]},
                       ensure_ascii=False)]
