"""Benchmark: how long an arrival takes to reach LINE, and how many pushes a second the workers deliver.

Each arrival is one document sent to one of 20 units and committed on its own; each unit's clerk is linked
to LINE and LINE_GROUP_SECONDS=0, so every arrival is its own push, enqueued after its commit. A fresh
database, a private redis-server, the local LINE server in a thread and real `python -m workers.worker`
processes (rq with its scheduler and the periodic sweep; SWEEP_SECONDS as in production unless told).

Arrival-to-push latency: when LINE accepted the push (the local server's `at`, in milliseconds) minus when
the arrival's commit returned (time.time() here; same host clock). LinePush.sent_at and
Notification.created_at are not used: they are MariaDB DATETIME columns, whole seconds only.

    eval "$(scripts/test-services.sh env)"
    .venv/bin/python -m tests.bench.line_latency [--arrivals 1000] [--workers 1] [--rate 0]
                                                 [--sweep-seconds 30]

--rate 0 commits arrivals as fast as one client can (a burst: latency then mostly measures the queue);
--rate N commits N arrivals a second, steadily.
"""
import argparse
import collections
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime

import requests
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import create_app
from app.core.actor import Actor
from app.core.jobs import QUEUE_NAME
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.notifications.models import LineAccount
from app.org.models import Unit, User
from app.routing import services as routing
from tests.conftest import app_environ, build_schema, recreate_database
from tests.factories import make_unit, make_user
from tests.line_support import fake_line_server, line_environ, start_worker, stop_worker, wait_until

REDIS_SERVER = "/usr/bin/redis-server"


@contextmanager
def private_redis():
    """redis-server on a free loopback port, keeping nothing on disk: the benchmark's queue is its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tempfile.mkdtemp(prefix="esaraban-bench-redis-")
    process = subprocess.Popen([REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", directory],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"

    def answers():
        try:
            return Redis.from_url(url).ping()
        except RedisConnectionError:
            return False

    try:
        wait_until(answers, timeout=15, interval=0.05, message="the private redis-server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def log_tail(process, size=3000):
    """The end of a worker's log file, read without moving the offset the worker writes at."""
    log = getattr(process, "log", None)
    if log is None or log.closed:
        return ""
    end = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), size, max(0, end - size)).decode(errors="replace")


@contextmanager
def workers(environ, count):
    processes = []
    try:
        for _ in range(count):
            processes.append(start_worker(environ))
        yield processes
    finally:
        for process in processes:
            try:
                stop_worker(process)
            except subprocess.TimeoutExpired:
                stop_worker(process, kill=True)


def fresh_app(redis_url, fake_url, sweep_seconds):
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="esaraban_bench_line")
    url = url.render_as_string(hide_password=False)
    recreate_database(url)
    environ = app_environ(url, redis_url, **line_environ(
        fake_url, LINE_GROUP_SECONDS="0", SWEEP_SECONDS=str(sweep_seconds), LINE_TIMEOUT_SECONDS="10"),
        LOG_LEVEL="WARNING")
    app = create_app(environ=environ)
    build_schema(app)
    return app, environ


def organisation(units):
    sender_unit = make_unit(name_th="สำนักปลัดส่ง", letter_code="ลย 51001")
    sender = make_user(unit=sender_unit, roles=("clerk",))
    receivers = []
    for index in range(units):
        unit = make_unit(name_th=f"กองรับที่ {index + 1}")
        clerk = make_user(unit=unit, roles=("clerk",))
        db.session.add(LineAccount(user_id=clerk.id, line_user_id="U" + os.urandom(16).hex()))
        receivers.append(unit.id)
    db.session.commit()
    return sender.id, sender_unit.id, receivers


def arrive(number, sender_id, sender_unit_id, unit_id, external_id):
    """One arrival: a document sent to one unit, committed. Returns its document id."""
    sender, sender_unit = db.session.get(User, sender_id), db.session.get(Unit, sender_unit_id)
    details = DocumentDetails(type=db.session.get(DocumentType, external_id),
                              subject=f"ขอความร่วมมือสำรวจข้อมูล ฉบับที่ {number + 1}")
    document = create_document(Actor(user=sender), owner_unit=sender_unit, details=details)
    routing.send(Actor(user=sender), document, from_unit=sender_unit,
                 to_units=[db.session.get(Unit, unit_id)])
    document_id = document.id
    db.session.commit()
    return document_id


def fake_log(fake_url, log):
    response = requests.get(f"{fake_url}/_fake/{log}", timeout=60)
    response.raise_for_status()
    return response.json()


def accepted_count(fake):
    """Pushes the local LINE server accepted so far, counted in place (no copy of the log)."""
    platform = fake.state.state
    with platform.lock:
        return len(platform.pushes)


def document_of(message):
    return int(message["contents"]["footer"]["contents"][0]["action"]["uri"].rsplit("/", 1)[1])


def epoch(iso):
    return datetime.fromisoformat(iso).timestamp()


def spread(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)], ordered[-1]


def run(arrivals, worker_count, rate, sweep_seconds, units, deadline):
    with private_redis() as redis_url, fake_line_server(monthly_quota=None) as fake:
        app, environ = fresh_app(redis_url, fake.url, sweep_seconds)
        with app.app_context():
            sender_id, sender_unit_id, receivers = organisation(units)
            external_id = db.session.scalar(select(DocumentType.id).where(DocumentType.code == "external"))
            with workers(environ, worker_count) as processes:
                committed, durations = {}, []
                began = time.time()
                for number in range(arrivals):
                    if rate:
                        pause = began + number / rate - time.time()
                        if pause > 0:
                            time.sleep(pause)
                    started = time.perf_counter()
                    document_id = arrive(number, sender_id, sender_unit_id, receivers[number % units],
                                         external_id)
                    durations.append(time.perf_counter() - started)
                    committed[document_id] = time.time()
                    db.session.expunge_all()
                arrivals_done = time.time()
                try:
                    wait_until(lambda: accepted_count(fake) >= arrivals, timeout=deadline, interval=0.2,
                               message=f"{arrivals} pushes at LINE")
                except AssertionError as error:
                    raise AssertionError(f"{error}\n" + "\n".join(map(log_tail, processes))) from None
                queue_left = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url)).count
        pushes, push_requests = fake_log(fake.url, "pushes"), fake_log(fake.url, "requests")
        contract_errors = fake_log(fake.url, "contract-errors")
    accepted_at = {}
    for push in pushes:
        for message in push["messages"]:
            accepted_at.setdefault(document_of(message), []).append(epoch(push["at"]))
    duplicates = sum(len(times) - 1 for times in accepted_at.values())
    latencies = [min(accepted_at[document_id]) - at for document_id, at in committed.items()]
    last_push = max(epoch(push["at"]) for push in pushes)
    answers = collections.Counter(entry["status"] for entry in push_requests
                                  if entry["path"] == "/v2/bot/message/push")
    return {"durations": durations, "latencies": latencies, "began": began, "arrivals_done": arrivals_done,
            "last_push": last_push, "duplicates": duplicates, "answers": answers,
            "queue_left": queue_left, "contract_errors": len(contract_errors), "pushes": len(pushes)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0, help="arrivals a second; 0: as fast as possible")
    parser.add_argument("--sweep-seconds", type=int, default=30, help="SWEEP_SECONDS (production default 30)")
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--deadline", type=int, default=900, help="seconds to wait for every push")
    args = parser.parse_args()
    result = run(args.arrivals, args.workers, args.rate, args.sweep_seconds, args.units, args.deadline)

    commit_median, commit_p95, _ = spread(result["durations"])
    latency_median, latency_p95, latency_max = spread(result["latencies"])
    committing = result["arrivals_done"] - result["began"]
    delivering = result["last_push"] - result["began"]
    pace = f"{args.rate:g} a second" if args.rate else "as fast as possible"
    print(f"LINE latency: {args.arrivals} arrivals ({pace}), {args.workers} worker process(es), "
          f"LINE_GROUP_SECONDS=0, SWEEP_SECONDS={args.sweep_seconds}, {args.units} linked clerks")
    print(f"  commit of one arrival (create, send, notice + push row, commit, enqueue): "
          f"median {commit_median * 1000:.1f} ms, p95 {commit_p95 * 1000:.1f} ms; "
          f"{args.arrivals} committed in {committing:.1f} s ({args.arrivals / committing:.1f} a second)")
    print(f"  arrival-to-push latency (commit returned -> LINE accepted, ms clock of the local LINE server): "
          f"median {latency_median:.2f} s, p95 {latency_p95:.2f} s, max {latency_max:.2f} s")
    print(f"  throughput: {result['pushes']} pushes accepted in {delivering:.1f} s from the first commit "
          f"({result['pushes'] / delivering:.1f} pushes a second end to end)")
    print(f"  LINE's answers to push requests {dict(result['answers'])}; notices accepted twice: "
          f"{result['duplicates']}; contract errors: {result['contract_errors']}; "
          f"jobs still queued when the last push was in: {result['queue_left']}")


if __name__ == "__main__":
    main()
