"""Benchmark: registrations per second into ONE register on MariaDB, 50 concurrent clients.

Each client is a thread with its own database connection running the real service in its own
transaction (create the document, lock the counter, take the number, audit, commit), as a request does.
At the end every number 1..N must be present exactly once.

    eval "$(scripts/test-services.sh env)"
    .venv/bin/python -m tests.bench.register_numbers [--clients 50] [--per-client 40]
"""
import argparse
import statistics
import threading
import time

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import create_app
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.org.models import Unit, User
from app.registry import services as registry
from app.registry.models import Register, RegisterEntry
from tests.conftest import app_environ, build_schema, recreate_database
from tests.factories import make_unit, make_user


def prepare(clients):
    import os

    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="esaraban_bench")
    url = url.render_as_string(hide_password=False)
    recreate_database(url)
    app = create_app({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": clients, "max_overflow": 0}},
                     environ=app_environ(url, os.environ.get("TEST_REDIS_URL"), LOG_LEVEL="WARNING"))
    build_schema(app)
    with app.app_context():
        unit = make_unit(letter_code="ลย 51001")
        user = make_user(unit=unit, roles=("clerk",))
        register = registry.default_register(unit, "receive")
        external = db.session.scalar(select(DocumentType.id).where(DocumentType.code == "external"))
        db.session.commit()
        return app, {"unit": unit.id, "user": user.id, "register": register.id, "type": external}


def client(app, ids, count, latencies, start_gate):
    with app.app_context():
        start_gate.wait()
        for index in range(count):
            began = time.perf_counter()
            actor = Actor(user=db.session.get(User, ids["user"]))
            unit = db.session.get(Unit, ids["unit"])
            document = create_document(actor, owner_unit=unit, details=DocumentDetails(
                type=db.session.get(DocumentType, ids["type"]), subject=f"ขอความอนุเคราะห์ข้อมูล ครั้งที่ {index}",
                from_text="องค์การบริหารส่วนจังหวัดขอนแก่น"))
            registry.issue_number(actor, db.session.get(Register, ids["register"]), document)
            db.session.commit()
            db.session.remove()
            latencies.append(time.perf_counter() - began)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=40)
    args = parser.parse_args()
    app, ids = prepare(args.clients)
    latencies, gate = [], threading.Barrier(args.clients + 1)
    threads = [threading.Thread(target=client, args=(app, ids, args.per_client, latencies, gate))
               for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    with app.app_context():
        numbers = db.session.scalars(select(RegisterEntry.number).order_by(RegisterEntry.number)).all()
        counters = db.session.scalar(select(func.count()).select_from(RegisterEntry))
    total = args.clients * args.per_client
    assert numbers == list(range(1, total + 1)), "numbers are not exactly 1..N"
    ms = sorted(x * 1000 for x in latencies)
    print(f"{total} registrations by {args.clients} concurrent clients in {elapsed:.2f} s: "
          f"{total / elapsed:.0f} registrations/s; per registration p50 {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms; numbers 1..{counters} gap-free")


if __name__ == "__main__":
    main()
