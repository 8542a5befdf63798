"""Backup, verify and restore of the whole system: the database and the attached files (R2: one IT officer).

The database is read in ONE read-only transaction (MariaDB/MySQL: REPEATABLE READ WITH CONSISTENT SNAPSHOT;
SQLite: one read transaction), so the archive is what the system was at one moment while people go on
working: InnoDB's snapshot takes no locks, and registering letters meanwhile neither waits nor shows up half
in the archive. Rows are written table by table as typed JSON lines, not as SQL: a restore builds the schema
by the project's own migrations up to the archive's revision, loads the rows, and migrates on to today's
schema, so an archive restores onto MariaDB, MySQL 8 or SQLite alike. Derived data (the search rows) is
left out and rebuilt by the restore.
"""
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import MetaData, func, insert, select, text

from app.attachments.storage import FileStore
from app.extensions import db
from app.ops import archive
from app.ops.archive import ArchiveError
from app.ops.rows import decode_row, encode_row

DERIVED_TABLES = frozenset({"search_entry", "search_gram", "search_pending"})
INSERT_BATCH = 1000


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


def backup(backup_root, *, keep, progress: Callable[[str], None] = lambda message: None, now=None,
           with_derived=False):
    """Write one archive into `backup_root`, copy new attached files into its pool, keep the last `keep`.
    `with_derived` keeps the search rows too, so a restore needs no rebuild (the archive taken before an
    upgrade, which must put the database back exactly as it was)."""
    started = time.monotonic()
    root = Path(backup_root)
    root.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    writer = archive.ArchiveWriter(root / f"esaraban-backup-{stamp}.tar")
    try:
        with _snapshot() as connection:
            schema = _tables_as_they_are(connection)  # the database's own, which may be older than the models
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
        copied = _copy_files(files, root, progress)
        manifest = writer.close({
            "app_version": app_version(), "schema_revision": revision,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "database": db.engine.dialect.name, "organisation": organisation_name(),
            "tables": tables, "files": files, "with_derived": with_derived,
        })
    except BaseException:
        writer.abandon()
        raise
    removed = prune(root, keep)
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


def _tables_as_they_are(connection):
    schema = MetaData()
    schema.reflect(bind=connection)
    return schema


def _table_lines(connection, table):
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(stream_results=True, yield_per=INSERT_BATCH).execute(
        select(table).order_by(*order))
    for row in result:
        yield encode_row(row)


def _copy_files(files, root, progress):
    store, copied = FileStore(current_app.config["FILES_PATH"]), 0
    for index, sha256 in enumerate(sorted(files), start=1):
        if archive.copy_into_pool(store.path_for(sha256), root, sha256):
            copied += 1
        if index % 500 == 0:
            progress(f"files {index}/{len(files)}")
    return copied


def prune(root, keep):
    """Remove all but the newest `keep` archives, then the pool files no kept archive names."""
    archives = archive.archives_in(root)
    removed = archives[:-keep] if keep and len(archives) > keep else []
    for path in removed:
        path.unlink()
    if removed:
        wanted = set()
        for path in archive.archives_in(root):
            opened = archive.open_archive(path, check_members=False)
            wanted |= set(opened.manifest["files"])
            opened.close()
        for pooled in (Path(root) / "files").glob("*/*/*"):
            if pooled.name not in wanted:
                pooled.unlink()
    return removed


def organisation_name():
    from app.org.models import Unit

    top = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    return top.name_th if top else ""


# ---- verify ----------------------------------------------------------------------------------------------

@dataclass
class VerifyResult:
    manifest: dict
    rows_loaded: dict


def verify(archive_path, scratch_url, *, progress=lambda message: None):
    """Every member and every pooled file against its checksum, then every table loaded into a scratch
    database built by the migrations at the archive's revision, counting the rows."""
    opened = archive.open_archive(archive_path)
    try:
        _check_pool(opened, Path(archive_path).parent, progress)
        scratch = _scratch_app(scratch_url)
        with scratch.app_context():
            _build_schema(opened.manifest["schema_revision"])
            loaded = _load_tables(opened, progress)
            db.session.remove()
            db.engine.dispose()
        return VerifyResult(opened.manifest, loaded)
    finally:
        opened.close()


def _check_pool(opened, root, progress):
    for index, (sha256, size) in enumerate(sorted(opened.manifest["files"].items()), start=1):
        path = archive.pool_path(root, sha256)
        if not path.is_file():
            raise ArchiveError(f"the attached file {sha256} is missing from {root / 'files'}")
        if archive.sha256_of(path) != sha256:
            raise ArchiveError(f"the attached file {sha256} in {root / 'files'} is damaged")
        if index % 500 == 0:
            progress(f"files {index}/{len(opened.manifest['files'])}")


def _scratch_app(url):
    from app import create_app

    return create_app({"TESTING": True}, environ={"DATABASE_URL": url, "SECRET_KEY": "x" * 40,
                                                  "FILES_PATH": str(Path(current_app.config["FILES_PATH"]))})


def _build_schema(revision):
    from flask_migrate import upgrade

    upgrade(revision=revision)


def _load_tables(opened, progress):
    loaded = {}
    with db.engine.begin() as connection:
        _foreign_keys(connection, on=False)
        tables = _tables_as_they_are(connection).tables
        for name in opened.manifest["tables"]:  # rows the migrations seed are in the archive as they were
            connection.execute(tables[name].delete())
        for name, described in opened.manifest["tables"].items():
            progress(name)
            table = tables[name]
            columns = described["columns"]
            count, batch = 0, []
            for line in opened.table_lines(name):
                batch.append(dict(zip(columns, decode_row(line))))
                if len(batch) >= INSERT_BATCH:
                    connection.execute(insert(table), batch)
                    count, batch = count + len(batch), []
            if batch:
                connection.execute(insert(table), batch)
                count += len(batch)
            if count != described["rows"]:
                raise ArchiveError(f"table {name}: {count} rows in the archive, the manifest says "
                                   f"{described['rows']}")
            loaded[name] = count
        _foreign_keys(connection, on=True)
    return loaded


def _foreign_keys(connection, *, on):
    if connection.dialect.name in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET FOREIGN_KEY_CHECKS={1 if on else 0}")
    else:
        connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


# ---- restore ---------------------------------------------------------------------------------------------

class NotEmpty(Exception):
    """The target database or files folder already holds data."""


@dataclass
class RestoreResult:
    manifest: dict
    rows_loaded: dict
    files_restored: int
    search_rows: int


def database_is_empty():
    from sqlalchemy import inspect

    names = set(inspect(db.engine).get_table_names())
    if "alembic_version" not in names:
        return True
    return all(db.session.scalar(select(func.count()).select_from(table)) == 0
               for table in backed_up_tables() if table.name in names)


def files_folder_holds_files():
    root = Path(current_app.config["FILES_PATH"])
    return root.is_dir() and any(p.is_file() for p in root.glob("[0-9a-f][0-9a-f]/*/*"))


def restore(archive_path, *, force=False, to_head=True, progress=lambda message: None):
    """Load an archive into this app's database and files folder, which must be empty unless `force`, and
    migrate it to the current schema unless not `to_head` (putting back the database an upgrade left)."""
    from flask_migrate import upgrade

    opened = archive.open_archive(archive_path)
    try:
        root = Path(archive_path).parent
        _check_pool(opened, root, progress)
        if not force and not database_is_empty():
            raise NotEmpty("ฐานข้อมูลมีข้อมูลอยู่แล้ว / the database is not empty")
        if not force and files_folder_holds_files():
            raise NotEmpty(f"โฟลเดอร์ไฟล์แนบมีไฟล์อยู่แล้ว / the files folder {current_app.config['FILES_PATH']} "
                           "is not empty")
        _drop_everything()  # an empty schema too: the archive's own revision is built first
        _build_schema(opened.manifest["schema_revision"])
        loaded = _load_tables(opened, progress)
        if to_head:
            upgrade()
        restored = _restore_files(opened.manifest["files"], root)
    finally:
        opened.close()
    with_search = opened.manifest.get("with_derived")
    search_rows = loaded.get("search_entry", 0) if with_search else _rebuild_search(progress)
    return RestoreResult(opened.manifest, loaded, restored, search_rows)


def _drop_everything():
    db.session.remove()
    with db.engine.begin() as connection:
        _foreign_keys(connection, on=False)
        _tables_as_they_are(connection).drop_all(connection)
        _foreign_keys(connection, on=True)


def _restore_files(files, root):
    store, restored = FileStore(current_app.config["FILES_PATH"]), 0
    for sha256 in files:
        target = store.path_for(sha256)
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archive.pool_path(root, sha256), target)
        restored += 1
    return restored


def _rebuild_search(progress):
    from app.search import services as search

    count = search.rebuild_all(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    db.session.commit()
    return count


def describe(manifest):
    """The lines `esaraban` prints about an archive."""
    total = sum(t["rows"] for t in manifest["tables"].values())
    return [f"{manifest.get('organisation') or '-'} · {manifest['created_at']} · e-Saraban "
            f"{manifest['app_version']} · schema {manifest['schema_revision']} · {manifest['database']}",
            f"{len(manifest['tables'])} tables, {total} rows, {len(manifest['files'])} attached files",
            json.dumps({name: t["rows"] for name, t in manifest["tables"].items() if t["rows"]},
                       ensure_ascii=False)]
