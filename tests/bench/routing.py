"""Benchmark: the server time of one register action, and the task-list query with 100,000 open tasks.

1. Register: lock the delivery, load its workflow, complete the clerk's task, issue the receive number,
   start the unit's own flow (work inside the unit), save the state and task rows, commit: what one click
   on "ลงรับ" costs on the server (MariaDB).
2. "My work" for a clerk of a busy unit while 100,000 tasks are open across 280 units.

    eval "$(scripts/test-services.sh env)"
    .venv/bin/python -m tests.bench.routing [--registrations 300] [--open-tasks 100000]
"""
import argparse
import statistics
import time
import uuid

from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from app import create_app
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.org.models import Unit, User
from app.routing import queries, services
from app.routing.models import Delivery
from app.workflow.models import WorkflowTask
from tests.conftest import app_environ, build_schema, recreate_database
from tests.factories import make_unit, make_user


def fresh_app():
    import os

    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="esaraban_bench_routing")
    url = url.render_as_string(hide_password=False)
    recreate_database(url)
    app = create_app(environ=app_environ(url, os.environ.get("TEST_REDIS_URL"), LOG_LEVEL="WARNING"))
    build_schema(app)
    return app


def percentiles(seconds):
    ms = sorted(x * 1000 for x in seconds)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]


def bench_register(count):
    sender_unit, receiver_unit = make_unit(letter_code="ลย 51001"), make_unit(letter_code="ลย 51002")
    sender, clerk = make_user(unit=sender_unit, roles=("clerk",)), make_user(unit=receiver_unit, roles=("clerk",))
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    ids = []
    for index in range(count):
        document = create_document(Actor(user=sender), owner_unit=sender_unit, details=DocumentDetails(
            type=external, subject=f"ขอความอนุเคราะห์ข้อมูลงบประมาณ ครั้งที่ {index}"))
        ids.append(services.send(Actor(user=sender), document, from_unit=sender_unit, to_units=[receiver_unit])[0].id)
        db.session.commit()
    timings, clerk_id = [], clerk.id
    for delivery_id in ids:
        db.session.remove()
        began = time.perf_counter()
        handling.register_delivery(Actor(user=db.session.get(User, clerk_id)), db.session.get(Delivery, delivery_id))
        db.session.commit()
        timings.append(time.perf_counter() - began)
    return percentiles(timings)


def seed_open_tasks(total, units=280):
    """`total` open clerk tasks spread over `units` units; the first unit, the busy one, gets 2,000."""
    unit_ids = [make_unit().id for _ in range(units)]
    busy_clerk = make_user(unit=db.session.get(Unit, unit_ids[0]), roles=("clerk",))
    from app.workflow.models import WorkflowDefinition, WorkflowInstance

    definition = WorkflowDefinition(key="bench", process_id="bench", sha256="0" * 64, bpmn_xml="")
    db.session.add(definition)
    db.session.flush()
    instance = WorkflowInstance(definition_id=definition.id, subject_type="bench", subject_id=0)
    db.session.add(instance)
    db.session.commit()
    speeds = ("normal",) * 7 + ("urgent", "very_urgent", "most_urgent")
    rows = [{"instance_id": instance.id, "task_guid": str(uuid.uuid4()), "spec_name": "review_delivery",
             "kind": "register", "title": "ลงรับหรือตีกลับ", "lane": "clerk" if n % 3 else "manager",
             "unit_id": unit_ids[0] if n < 2000 else unit_ids[n % units], "speed": speeds[n % 10], "state": "ready"}
            for n in range(total)]
    for start in range(0, total, 5000):
        db.session.execute(insert(WorkflowTask), rows[start:start + 5000])
    db.session.commit()
    return busy_clerk.id


def bench_task_list(clerk_id, runs=50):
    timings = []
    for _ in range(runs):
        db.session.remove()
        began = time.perf_counter()
        tasks = queries.my_tasks(db.session.get(User, clerk_id))
        timings.append(time.perf_counter() - began)
    return percentiles(timings), len(tasks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--open-tasks", type=int, default=100_000)
    args = parser.parse_args()
    app = fresh_app()
    with app.app_context():
        median, p95 = bench_register(args.registrations)
        print(f"register action (lock, load, step, number, start the unit's own flow, save, commit), "
              f"{args.registrations} runs: "
              f"median {median:.1f} ms, p95 {p95:.1f} ms")
        clerk_id = seed_open_tasks(args.open_tasks)
        (median, p95), shown = bench_task_list(clerk_id)
        print(f"'My work' with {args.open_tasks} open tasks (busy unit: 2,000 open, first {shown} shown): "
              f"median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
