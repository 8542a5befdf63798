"""Backup, verify and restore of 100,000 documents with 20,000 attached files (issue 13): time and size.

The documents are the search benchmark's (tests/bench/search_data.py: 281 units, registers, deliveries,
work in the units, workflow rows); the files are made here, of scan-like sizes (a log-normal spread around
120 KB), and attached to documents spread over the units. Then: a first backup (every file copied), a
second one (nothing new to copy), verify, and a restore into a second, empty database and files folder,
which rebuilds the search rows; each with its wall time, and the sizes of the database, the archive and
the file pool. A clerk's registering goes on during the first backup, so its cost to them is measured too.

    scripts/bench-mariadb.sh start && eval "$(scripts/bench-mariadb.sh env)"
    .venv/bin/python -m tests.bench.backup [--documents 100000] [--files 20000] [--passphrase ...]
"""
import argparse
import hashlib
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.attachments.models import Attachment
from app.attachments.storage import FileStore
from app.core.actor import Actor
from app.documents.models import Document, DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.ops import backup as backups
from app.ops import restore as restores
from app.org.models import Role, Unit, User, UserRole
from app.registry import services as registry
from tests.bench.search_data import generate
from tests.conftest import app_environ, recreate_database

SOURCE_DATABASE, TARGET_DATABASE = "esaraban_bench_backup", "esaraban_bench_restored"


def url_for_database(name):
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        raise SystemExit('BENCH_DATABASE_URL is not set: scripts/bench-mariadb.sh start && '
                         'eval "$(scripts/bench-mariadb.sh env)"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def make_files(app, count, rng):
    """`count` distinct files of scan-like sizes, stored as the app stores uploads, attached to documents."""
    store = FileStore(app.config["FILES_PATH"])
    with app.app_context():
        documents = db.session.execute(select(Document.id, Document.owner_unit_id)).all()
        chosen = rng.sample(documents, min(count, len(documents)))
        rows, total = [], 0
        for index, (document_id, unit_id) in enumerate(chosen):
            size = int(min(max(rng.lognormvariate(11.7, 0.6), 8_000), 2_000_000))  # median ~120 KB
            content = b"%PDF-1.4\n" + rng.randbytes(size)
            sha256 = hashlib.sha256(content).hexdigest()
            path = store.path_for(sha256)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            total += len(content)
            rows.append({"document_id": document_id, "sha256": sha256, "size": len(content),
                         "filename": f"หนังสือ-{index}.pdf", "content_type": "application/pdf",
                         "unit_id": unit_id})
        for start in range(0, len(rows), 1000):
            db.session.execute(Attachment.__table__.insert(), rows[start:start + 1000])
        db.session.commit()
    return total


def keep_registering(app, stop, latencies):
    """A clerk registering paper letters in a unit's receive register, as fast as they can, until `stop`."""
    with app.app_context():
        clerk = db.session.scalar(select(User).join(UserRole).where(UserRole.role == Role.CLERK).limit(1))
        actor_id, unit_id = clerk.id, clerk.unit_id
        while not stop.is_set():
            started = time.perf_counter()
            actor, unit = Actor(user=db.session.get(User, actor_id)), db.session.get(Unit, unit_id)
            external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
            document = create_document(actor, owner_unit=unit, details=DocumentDetails(
                type=external, subject="หนังสือระหว่างสำรองข้อมูล", dated=date(2026, 11, 30)))
            registry.issue_number(actor, registry.default_register(unit, "receive"), document)
            db.session.commit()
            db.session.remove()
            latencies.append(time.perf_counter() - started)


def database_size(app):
    with app.app_context():
        return db.session.execute(text(
            "SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()"
        )).scalar() or 0


def folder_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def mb(size):
    return f"{size / 1024 ** 2:,.0f} MB"


def timed(label, action, report):
    started = time.monotonic()
    result = action()
    report(f"{label}: {time.monotonic() - started:,.1f} s")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--passphrase", default=None, help="encrypt the backups (BACKUP_PASSPHRASE)")
    parser.add_argument("--work", default=None, help="folder for files and backups (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="esaraban-bench-backup-"))
    report = print
    source_url, target_url = url_for_database(SOURCE_DATABASE), url_for_database(TARGET_DATABASE)
    os.environ["FILES_PATH"] = str(work / "files")
    generate(source_url, documents=args.documents, seed=args.seed, until=date(2026, 11, 24), report=report)
    app = create_app(environ=app_environ(source_url, FILES_PATH=str(work / "files"), LOG_LEVEL="WARNING"))
    file_bytes = timed(f"{args.files:,} attached files made", lambda: make_files(
        app, args.files, random.Random(args.seed)), report)
    with app.app_context():
        documents = db.session.scalar(select(func.count()).select_from(Document))
    report(f"Database: {documents:,} documents, {mb(database_size(app))}; files: {mb(file_bytes)}")

    stop, latencies = threading.Event(), []
    clerk = threading.Thread(target=keep_registering, args=(app, stop, latencies))
    quiet = []
    stop_quiet = threading.Event()
    baseline = threading.Thread(target=keep_registering, args=(app, stop_quiet, quiet))
    baseline.start()
    time.sleep(10)
    stop_quiet.set()
    baseline.join()
    clerk.start()
    try:
        with app.app_context():
            first = timed("First backup (every file copied)", lambda: backups.backup(
                work / "backups", keep=5, passphrase=args.passphrase), report)
    finally:
        stop.set()
        clerk.join()
    report(f"  a clerk registering meanwhile: {len(latencies)} letters, median "
           f"{statistics.median(latencies) * 1000:.0f} ms, p95 {sorted(latencies)[int(len(latencies) * .95)] * 1000:.0f}"
           f" ms (alone: median {statistics.median(quiet) * 1000:.0f} ms)")
    with app.app_context():
        second = timed("Second backup (no new file)", lambda: backups.backup(
            work / "backups", keep=5, passphrase=args.passphrase), report)
        timed("Verify", lambda: restores.verify(second.path, f"sqlite:///{work}/verify.sqlite3",
                                                passphrase=args.passphrase), report)
    report(f"Archive: {mb(first.path.stat().st_size)} ({first.files_copied:,} files copied); second archive "
           f"{mb(second.path.stat().st_size)} ({second.files_copied} files copied); file pool "
           f"{mb(folder_size(work / 'backups' / 'files'))}")
    recreate_database(target_url)
    target = create_app(environ=app_environ(target_url, FILES_PATH=str(work / "restored"), LOG_LEVEL="WARNING"))
    with target.app_context():
        restored = timed("Restore into an empty database and files folder (search rebuilt)", lambda: restores.restore(
            second.path, passphrase=args.passphrase), report)
    report(f"  {sum(restored.rows_loaded.values()):,} rows, {restored.files_restored:,} files, "
           f"{restored.search_rows:,} documents indexed")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
