"""Moving running documents to a new version of their flow (issue 16 item 6): the dry-run report and the
move (each instance in its own savepoint, one commit) for N documents under way on the work flow, three in
four at a step the new version keeps (routing, work) and one in four with the manager, at the instruction
step the new version drops (reported as not movable). The new version is tests/flow_edits.handling_v2.

    .venv/bin/python -m tests.bench.migration [--documents 200] [--database-url mysql+pymysql://...]

Without --database-url it builds a throwaway SQLite database in a temporary folder.
"""
import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.core.actor import Actor
from app.core.heap import freeze_start_up_objects
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.workflow import definitions, migration
from tests.conftest import app_environ, build_schema, recreate_database
from tests.factories import make_unit, make_user
from tests.flow_edits import handling_v2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        if args.database_url:
            recreate_database(url)
        app = create_app(environ=app_environ(url, FILES_PATH=str(Path(folder) / "files"), LOG_LEVEL="WARNING"))
        build_schema(app)
        freeze_start_up_objects()
        with app.app_context():
            run(args.documents, url.split(":", 1)[0])


def run(count, backend):
    unit = make_unit(name_th="กองช่าง", letter_code="ลย 51002")
    clerk = make_user(unit=unit, roles=("clerk",))
    manager = make_user(unit=unit, roles=("manager",))
    operator = make_user(unit=unit, roles=("operator",))
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    db.session.commit()
    started = time.perf_counter()
    for index in range(count):
        document, _ = handling.receive_paper_letter(Actor(user=clerk), unit=unit, details=DocumentDetails(
            type=external, subject=f"ขอข้อมูลโครงการซ่อมถนน ครั้งที่ {index}", from_text="อำเภอเมืองเลย"))
        work = handling_queries.open_handling(document, unit)
        if index % 4 == 1:
            handling.assign(Actor(user=clerk), work, operator=operator)
        elif index % 4 == 3:
            handling.to_manager(Actor(user=clerk), work, manager=manager)
        db.session.commit()
    seeded = time.perf_counter() - started
    target = definitions.publish("handling", handling_v2())
    db.session.commit()

    db.session.expire_all()
    began = time.perf_counter()
    report = migration.plan("handling", target)
    planned = time.perf_counter() - began
    movable = [entry.instance_id for entry in report.movable]

    db.session.expire_all()
    began = time.perf_counter()
    outcome = migration.migrate(Actor(user=make_user(roles=("admin",))), "handling", target, movable,
                                report.fingerprint)
    db.session.commit()
    moved = time.perf_counter() - began
    assert len(outcome.moved) == len(movable) and not outcome.skipped
    print(f"{backend}: {count} documents under way (seeded in {seeded:.1f} s), "
          f"{len(movable)} movable, {len(report.entries) - len(movable)} not")
    print(f"  dry-run report: {planned * 1000:.0f} ms ({planned * 1000 / len(report.entries):.1f} ms a document)")
    print(f"  move of {len(movable)} and commit: {moved * 1000:.0f} ms ({moved * 1000 / len(movable):.1f} ms a document)")


if __name__ == "__main__":
    main()
