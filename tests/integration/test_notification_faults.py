"""Exactly-once LINE delivery through crashes (R3). The issue: "1,000 arrivals while the worker is killed and
restarted and Redis is restarted; afterwards every notification was pushed exactly once".

One test, on a database of its own and a private redis-server (restarting it disturbs no other test), with
two real `python -m workers.worker` processes (rq with its scheduler and the periodic sweep) and the local
LINE server in a thread. The test process commits 1,000 arrivals: per commit, one document sent to 10 of 20
receiving units, each unit's clerk linked to LINE; notices are grouped for 3 s as in production (up to five a
push) and one document in 25 is ด่วนที่สุด (pushed at once). On the way, at fixed arrival counts:

- 100: LINE answers the next three pushes with 500 and lets the fourth time out;
- 250: LINE accepts a push but holds its answer; while that job waits for it, both workers, the jobs they
  forked and their schedulers are killed with SIGKILL (a crash, cleaned up as systemd cleans a unit). No
  worker runs until 400, when two new ones start;
- 500: LINE accepts a push but answers after the app has stopped waiting (a late answer);
- 600: Redis is killed; arrivals go on being committed while every enqueue after commit fails;
- 800: Redis starts again, empty (every queued and scheduled job lost); a worker the outage ended is
  restarted, as systemd's Restart=on-failure would.

Then, within a bounded wait, every push must be sent, and LINE must have accepted every notice exactly once
(1,000 cards, each recipient and document once) and every retry key once. 409 answers ("retry key already
accepted") are expected where the app could not know that LINE had taken a push. About a minute.
"""
import collections
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager

import pytest
import redis
import requests
from flask import request
from sqlalchemy import func, select

from app import create_app
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.notifications.models import LineAccount, LinePush, Notification, PushStatus
from app.org.models import Unit, User
from app.routing import services as routing
from fake_line.server import create_app as create_fake_line
from fake_line.server import serve_in_thread
from tests.conftest import app_environ, build_schema, recreate_database, sibling_database_url
from tests.factories import make_unit, make_user
from tests.line_support import (
    CHANNEL_SECRET, CHANNEL_TOKEN, line_environ, start_worker, stop_worker, wait_until)

REDIS_SERVER = "/usr/bin/redis-server"
ARRIVALS = 1000
RECEIVING_UNITS = 20
UNITS_PER_DOCUMENT = 10          # arrivals per commit
MOST_URGENT_EVERY = 25           # every 25th document is ด่วนที่สุด: its notices are pushed at once
GROUP_SECONDS = 3
SWEEP_SECONDS = 3
WORKERS = 2
LINE_TIMEOUT = 3                 # seconds the app waits for LINE's answer
DELIVERY_DEADLINE = 120          # seconds allowed, after the last arrival, for every push to be sent

# At these arrival counts (multiples of UNITS_PER_DOCUMENT):
FAIL_AT, CRASH_AT, RESTART_WORKER_AT, LATE_AT, REDIS_DOWN_AT, REDIS_UP_AT = 100, 250, 400, 500, 600, 800


# --- a private Redis that can be restarted -----------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server on a free loopback port, keeping nothing on disk: a restart starts empty."""

    def __init__(self, directory):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no",
             "--dir", self.directory, "--logfile", os.path.join(self.directory, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, timeout=15, interval=0.05, message=f"redis-server on port {self.port}")

    def answers(self):
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited ({self.process.returncode}), "
                                 f"see {self.directory}/redis.log")
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            return False

    def kill(self):
        """Gone at once, as in a crash: clients lose their connections, queued jobs are lost."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def is_down(self):
        try:
            redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            return True
        return False


@contextmanager
def private_redis():
    directory = tempfile.mkdtemp(prefix="esaraban-faults-redis-")
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(directory, ignore_errors=True)


# --- the local LINE server, able to hold its answer to an accepted push -------------------------------------

class Hold:
    def __init__(self, seconds):
        self.seconds, self.retry_key = seconds, None
        self.held, self.release = threading.Event(), threading.Event()


class HeldAnswers:
    """Flask after-request hook of the fake: for each planned Hold, the next push LINE accepts (200 with its
    sentMessages) is answered only after `release` or `seconds`. The push is accepted either way: the app
    just does not hear it in time (or is dead by then)."""

    def __init__(self):
        self.lock, self.plans = threading.Lock(), []

    def plan(self, seconds):
        hold = Hold(seconds)
        with self.lock:
            self.plans.append(hold)
        return hold

    def __call__(self, response):
        if request.path != "/v2/bot/message/push" or response.status_code != 200:
            return response
        if "sentMessages" not in (response.get_json(silent=True) or {}):
            return response  # the fake's planned "timeout": nothing was accepted
        with self.lock:
            hold = self.plans.pop(0) if self.plans else None
        if hold is not None:
            hold.retry_key = request.headers.get("X-Line-Retry-Key")
            hold.held.set()
            hold.release.wait(hold.seconds)
        return response


@contextmanager
def holding_line_server():
    fake_app = create_fake_line(CHANNEL_TOKEN, CHANNEL_SECRET, monthly_quota=None)
    holds = HeldAnswers()
    fake_app.after_request(holds)
    with serve_in_thread(fake_app) as handle:
        handle.holds = holds
        try:
            yield handle
        finally:
            with holds.lock:
                for hold in holds.plans:
                    hold.release.set()


def fake_log(fake, log):
    response = requests.get(f"{fake.url}/_fake/{log}", timeout=30)
    response.raise_for_status()
    return response.json()


def plan_failure(fake, **plan):
    requests.post(f"{fake.url}/_fake/fail", json=plan, timeout=10).raise_for_status()


# --- the worker, supervised as systemd would --------------------------------------------------------------

def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def log_tail(process, size=3000):
    """The end of a worker's log file, read without moving the offset the worker writes at."""
    log = getattr(process, "log", None)
    if log is None or log.closed:
        return ""
    end = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), size, max(0, end - size)).decode(errors="replace")


class SupervisedWorkers:
    """`count` processes of `python -m workers.worker`, looked after as systemd would; `exits` records how
    each one ended, `ended_logs` the end of the log of each one that is gone (for failure messages)."""

    def __init__(self, environ, count):
        self.environ, self.count = environ, count
        self.processes, self.exits, self.forked, self.ended_logs = [], [], set(), []

    def remember_children(self):
        for process in self.processes:
            if process.poll() is None:
                self.forked.update(children_of(process.pid))

    def _ended(self, process, kill=False):
        self.ended_logs.append(f"[worker {process.pid}] {log_tail(process)}")
        try:
            stop_worker(process, kill=kill)
        except subprocess.TimeoutExpired:
            stop_worker(process, kill=True)
        self.exits.append(process.returncode)

    def ensure_running(self):
        """Restart every worker that has exited (Restart=on-failure), and start missing ones."""
        for process in [p for p in self.processes if p.poll() is not None]:
            self._ended(process)
            self.processes.remove(process)
        while len(self.processes) < self.count:
            self.processes.append(start_worker(self.environ))

    def crash(self):
        """SIGKILL every worker, then what they forked (the jobs they were running, their schedulers), before
        any of them can commit or tidy up."""
        children = [pid for process in self.processes for pid in children_of(process.pid)]
        for process in self.processes:
            self._ended(process, kill=True)
        self._kill(children)
        self.processes = []

    def stop(self):
        self.remember_children()
        for process in self.processes:
            self._ended(process)
        self.processes = []
        self._kill(self.forked)

    @staticmethod
    def _kill(pids):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def describe(self):
        logs = self.ended_logs[-3:] + [f"[worker {p.pid}] {log_tail(p)}" for p in self.processes]
        return f"worker exits {self.exits}; ends of worker logs:\n" + "\n".join(logs)


# --- the organisation and the arrivals ----------------------------------------------------------------------

class EnqueueFailures(logging.Handler):
    """Counts "could not enqueue ...; the sweep will" warnings of the test process's app."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        if record.name == "app.core.jobs" and record.getMessage().startswith("could not enqueue"):
            self.count += 1


def build_organisation():
    sender_unit = make_unit(name_th="สำนักปลัดส่ง", letter_code="ลย 51001")
    sender = make_user(unit=sender_unit, roles=("clerk",))
    receivers = []
    for index in range(RECEIVING_UNITS):
        unit = make_unit(name_th=f"กองรับที่ {index + 1}")
        clerk = make_user(unit=unit, roles=("clerk",))
        db.session.add(LineAccount(user_id=clerk.id, line_user_id="U" + os.urandom(16).hex()))
        receivers.append(unit.id)
    db.session.commit()
    return sender.id, sender_unit.id, receivers


def commit_arrivals(number, ids):
    """Document `number` sent to 10 of the receiving units, in one transaction: 10 arrivals."""
    sender_id, sender_unit_id, receivers = ids
    sender, sender_unit = db.session.get(User, sender_id), db.session.get(Unit, sender_unit_id)
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    half = receivers[:UNITS_PER_DOCUMENT] if number % 2 == 0 else receivers[UNITS_PER_DOCUMENT:]
    speed = "most_urgent" if number % MOST_URGENT_EVERY == 0 else "normal"
    document = create_document(Actor(user=sender), owner_unit=sender_unit, details=DocumentDetails(
        type=external, subject=f"ขอความร่วมมือสำรวจข้อมูล ฉบับที่ {number + 1}", speed=speed))
    routing.send(Actor(user=sender), document, from_unit=sender_unit,
                 to_units=[db.session.get(Unit, unit_id) for unit_id in half])
    db.session.commit()


def all_sent():
    db.session.rollback()  # a new snapshot each time
    return db.session.scalar(select(func.count()).select_from(LinePush).where(
        LinePush.status != PushStatus.SENT)) == 0


def document_of(message):
    uri = message["contents"]["footer"]["contents"][0]["action"]["uri"]
    return int(uri.rsplit("/", 1)[1])


def push_behind(fake, hold):
    """The LinePush row of the request LINE accepted while its answer was held (found by its first card)."""
    sent = next((push for push in fake_log(fake, "pushes") if push["retryKey"] == hold.retry_key), None)
    assert sent is not None, "LINE did not keep the push it accepted"
    user_id = db.session.scalar(select(LineAccount.user_id).where(LineAccount.line_user_id == sent["to"]))
    return db.session.scalar(select(LinePush).join(Notification, Notification.push_id == LinePush.id).where(
        Notification.user_id == user_id, Notification.document_id == document_of(sent["messages"][0])))


def statuses_for(requests_log, retry_key):
    return [entry["status"] for entry in requests_log if entry["path"] == "/v2/bot/message/push"
            and entry["headers"].get("X-Line-Retry-Key") == retry_key]


# --- the test ----------------------------------------------------------------------------------------------

@pytest.fixture
def faults():
    url = sibling_database_url("_faults")
    recreate_database(url)
    with ExitStack() as stack:
        redis_server = stack.enter_context(private_redis())
        fake = stack.enter_context(holding_line_server())
        environ = app_environ(url, redis_server.url, **line_environ(
            fake.url, LINE_GROUP_SECONDS=str(GROUP_SECONDS), SWEEP_SECONDS=str(SWEEP_SECONDS),
            LINE_TIMEOUT_SECONDS=str(LINE_TIMEOUT)), LOG_LEVEL="WARNING")
        application = create_app(environ=environ)
        build_schema(application)
        workers = SupervisedWorkers(environ, WORKERS)
        stack.callback(workers.stop)
        enqueue_failures = EnqueueFailures()
        logging.getLogger("app.core.jobs").addHandler(enqueue_failures)
        stack.callback(logging.getLogger("app.core.jobs").removeHandler, enqueue_failures)
        stack.enter_context(application.app_context())
        stack.callback(db.engine.dispose)
        stack.callback(db.session.remove)
        yield redis_server, fake, workers, enqueue_failures


@pytest.mark.own_database
def test_every_notice_reaches_line_exactly_once_through_worker_and_redis_crashes(faults):
    redis_server, fake, workers, enqueue_failures = faults
    ids = build_organisation()
    workers.ensure_running()
    began = time.monotonic()
    crashed_hold = late_hold = None
    failures_while_down = 0
    for number in range(ARRIVALS // UNITS_PER_DOCUMENT):
        arrived = number * UNITS_PER_DOCUMENT
        if arrived == FAIL_AT:
            plan_failure(fake, mode="500", count=3)
            plan_failure(fake, mode="timeout", count=1, seconds=LINE_TIMEOUT + 1)
        elif arrived == CRASH_AT:
            crashed_hold = fake.holds.plan(seconds=60)
            assert crashed_hold.held.wait(60), "no push reached LINE to crash on\n" + workers.describe()
            workers.crash()
            crashed_hold.release.set()
            db.session.rollback()
            held_push = push_behind(fake, crashed_hold)
            assert held_push.status in (PushStatus.PENDING, PushStatus.RETRYING), "the killed job committed"
        elif arrived == RESTART_WORKER_AT:
            workers.ensure_running()
        elif arrived == LATE_AT:
            late_hold = fake.holds.plan(seconds=LINE_TIMEOUT + 1)
        elif arrived == REDIS_DOWN_AT:
            workers.remember_children()
            redis_server.kill()
            failures_before = enqueue_failures.count
        elif arrived == REDIS_UP_AT:
            assert redis_server.is_down()
            failures_while_down = enqueue_failures.count - failures_before
            redis_server.start()
            workers.ensure_running()
        commit_arrivals(number, ids)
    arrivals_done = time.monotonic()

    assert db.session.scalar(select(func.count()).select_from(Notification)) == ARRIVALS
    # The arrivals committed while Redis was down did not fail; their enqueue after commit did (logged).
    assert failures_while_down > 0

    try:
        wait_until(all_sent, timeout=DELIVERY_DEADLINE, interval=0.5, message="every LINE push to be sent")
    except AssertionError as error:
        raise AssertionError(f"{error}\n{workers.describe()}") from None
    delivered = time.monotonic()

    pushes = db.session.scalars(select(LinePush)).all()
    line_ids = dict(db.session.execute(select(LineAccount.user_id, LineAccount.line_user_id)).all())
    accepted, requests_log = fake_log(fake, "pushes"), fake_log(fake, "requests")
    assert fake_log(fake, "contract-errors") == []

    # Every notice is on a push marked sent ...
    unpushed = db.session.scalar(select(func.count()).select_from(Notification).outerjoin(
        LinePush, LinePush.id == Notification.push_id).where(
        Notification.push_id.is_(None) | (LinePush.status != PushStatus.SENT)))
    assert unpushed == 0
    # ... and LINE accepted each notice exactly once: one card per (recipient, document), 1,000 cards in all.
    cards = collections.Counter((push["to"], document_of(message))
                                for push in accepted for message in push["messages"])
    assert sorted(card for card, times in cards.items() if times > 1) == [], "notices LINE accepted twice"
    expected = collections.Counter((line_ids[user_id], document_id) for user_id, document_id in
                                   db.session.execute(select(Notification.user_id, Notification.document_id)))
    assert cards == expected
    assert sum(cards.values()) == ARRIVALS
    # Each retry key accepted once; the accepted keys are exactly the pushes, each with its own notices.
    by_key = collections.Counter(push["retryKey"] for push in accepted)
    assert [key for key, times in by_key.items() if times > 1] == []
    assert set(by_key) == {push.retry_key for push in pushes}
    accepted_by_key = {push["retryKey"]: push for push in accepted}
    for push in pushes:
        sent = accepted_by_key[push.retry_key]
        assert sent["to"] == line_ids[push.user_id]
        assert sorted(document_of(message) for message in sent["messages"]) == sorted(
            notice.document_id for notice in push.notifications)

    # The faults did happen: three 500s; both pushes LINE took without the app hearing of it were sent again
    # under their key and answered 409 (already accepted); every first worker died of SIGKILL.
    statuses = collections.Counter(entry["status"] for entry in requests_log
                                   if entry["path"] == "/v2/bot/message/push")
    assert statuses[500] >= 3
    assert late_hold.held.is_set()
    for hold in (crashed_hold, late_hold):
        assert 409 in statuses_for(requests_log, hold.retry_key)
    assert workers.exits[:WORKERS] == [-signal.SIGKILL] * WORKERS

    print(f"\n{ARRIVALS} arrivals committed in {arrivals_done - began:.1f} s; all {len(pushes)} pushes sent "
          f"{delivered - arrivals_done:.1f} s later; LINE's answers to pushes {dict(statuses)}; "
          f"enqueues that failed while Redis was down: {failures_while_down}; "
          f"worker exit codes {workers.exits}")
