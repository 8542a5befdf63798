"""Reading a backup back: `verify` (every checksum, and every table loaded into a scratch database) and
`restore` (into an empty database and files folder, then migrated to today's schema and search rebuilt).

Both build the schema by the project's own migrations at the archive's revision before loading its rows,
so an archive from an older release, or from another database engine, loads as it was made.
"""
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, select

from app.attachments.storage import FileStore
from app.extensions import db
from app.ops import archive
from app.ops.archive import ArchiveError
from app.ops.backup import backed_up_tables, folder_key, tables_as_they_are
from app.ops.rows import decode_row

INSERT_BATCH = 1000


@dataclass
class VerifyResult:
    manifest: dict
    rows_loaded: dict
    left_out: list


def verify(archive_path, scratch_url, *, passphrase=None, progress=lambda message: None):
    """Every member and every pooled file against its checksum, then every table loaded into a scratch
    database built by the migrations at the archive's revision, counting the rows."""
    root = Path(archive_path).parent
    key = folder_key(root, passphrase)
    opened = archive.open_archive(archive_path, key=key)
    try:
        _check_pool(opened, root, key, progress)
        scratch = _scratch_app(scratch_url)
        with scratch.app_context():
            _build_schema(opened.manifest["schema_revision"])
            loaded, left_out = _load_tables(opened, progress)
            db.session.remove()
            db.engine.dispose()
        return VerifyResult(opened.manifest, loaded, left_out)
    finally:
        opened.close()


def _check_pool(opened, root, key, progress):
    with tempfile.TemporaryDirectory(prefix="esaraban-check-") as scratch:
        for index, sha256 in enumerate(sorted(opened.manifest["files"]), start=1):
            archive.copy_out_of_pool(root, sha256, Path(scratch) / sha256, key)
            (Path(scratch) / sha256).unlink()
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
    """Every table of the archive that e-Saraban's schema has, into the schema just built; returns the rows
    loaded per table and the names of tables left out (made in the database by hand or by another tool,
    which no migration creates)."""
    loaded = {}
    with db.engine.begin() as connection:
        _foreign_keys(connection, on=False)
        tables = tables_as_they_are(connection).tables
        ours = {name: described for name, described in opened.manifest["tables"].items() if name in tables}
        for name in ours:  # rows the migrations seed are in the archive as they were
            connection.execute(tables[name].delete())
        for name, described in ours.items():
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
    return loaded, sorted(set(opened.manifest["tables"]) - set(ours))


def _foreign_keys(connection, *, on):
    if connection.dialect.name in ("mysql", "mariadb"):
        connection.exec_driver_sql(f"SET FOREIGN_KEY_CHECKS={1 if on else 0}")
    else:
        connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


class NotEmpty(Exception):
    """The target database or files folder already holds data."""


@dataclass
class RestoreResult:
    manifest: dict
    rows_loaded: dict
    files_restored: int
    search_rows: int
    left_out: list


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


def restore(archive_path, *, force=False, to_head=True, passphrase=None, progress=lambda message: None):
    """Load an archive into this app's database and files folder, which must be empty unless `force`, and
    migrate it to the current schema unless not `to_head` (putting back the database an upgrade left)."""
    from flask_migrate import upgrade

    root = Path(archive_path).parent
    key = folder_key(root, passphrase)
    opened = archive.open_archive(archive_path, key=key)
    try:
        _check_pool(opened, root, key, progress)
        if not force and not database_is_empty():
            raise NotEmpty("ฐานข้อมูลมีข้อมูลอยู่แล้ว / the database is not empty")
        if not force and files_folder_holds_files():
            raise NotEmpty(f"โฟลเดอร์ไฟล์แนบมีไฟล์อยู่แล้ว / the files folder {current_app.config['FILES_PATH']} "
                           "is not empty")
        _drop_everything()  # an empty schema too: the archive's own revision is built first
        _build_schema(opened.manifest["schema_revision"])
        loaded, left_out = _load_tables(opened, progress)
        if to_head:
            upgrade()
        restored = _restore_files(opened.manifest["files"], root, key)
    finally:
        opened.close()
    with_search = opened.manifest.get("with_derived")
    search_rows = loaded.get("search_entry", 0) if with_search else _rebuild_search(progress)
    return RestoreResult(opened.manifest, loaded, restored, search_rows, left_out)


def _drop_everything():
    db.session.remove()
    with db.engine.begin() as connection:
        _foreign_keys(connection, on=False)
        tables_as_they_are(connection).drop_all(connection)
        _foreign_keys(connection, on=True)


def _restore_files(files, root, key):
    store, restored = FileStore(current_app.config["FILES_PATH"]), 0
    for sha256 in files:
        target = store.path_for(sha256)
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        archive.copy_out_of_pool(root, sha256, partial, key)
        partial.replace(target)
        restored += 1
    return restored


def _rebuild_search(progress):
    from app.search import services as search

    count = search.rebuild_all(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    db.session.commit()
    return count
