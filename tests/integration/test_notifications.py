"""Notices to people (R3): who is told what, in the app and on LINE, and how a LINE push survives LINE's
failures, a lost job and a paused channel.

Most tests run in the shared per-test transaction, on an app whose LINE settings point at the local LINE
server (fake_line/) running in a thread; a job the app enqueued is run here the way a worker would run it.
The tests marked own_database run the real thing on committed data: the app served over HTTP, a real
`python -m workers.worker` process, and the local LINE server sending signed webhooks to the app.
Every test that reaches the local LINE server ends with its contract-error log empty: LINE would have
accepted every body the app sent.
"""
import contextvars
import json
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from flask import current_app
from redis import Redis
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from app import create_app
from app.core.actor import Actor
from app.core.models import utcnow
from app.core.thai_dates import today_local
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, change_due_date, create_document
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.notifications import cards
from app.notifications import services as notifications
from app.notifications import linking
from app.notifications.models import LineAccount, LineLinkRequest, LinePush, LineWebhookEvent, Notification
from app.notifications.queries import unread_count
from app.org.models import Delegation, User
from app.routing import services as routing
from fake_line import ids, webhook
from fake_line.contract import check_webhook_body
from fake_line.server import serve_in_thread
from tests.conftest import (IsolatedRequestClient, app_environ, build_schema, csrf_token_from,
                            recreate_database, sibling_database_url)
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user
from tests.line_support import (CHANNEL_SECRET, CHANNEL_TOKEN, fake_line_server, line_environ, rq_worker,
                                wait_until)

IN_TEST_REDIS_DB, WORKER_REDIS_DB = 6, 7  # Redis databases of this module's own, emptied before use
PUBLIC_URL = "http://esaraban.test"  # PUBLIC_BASE_URL of line_environ
SEND_JOB = notifications.SEND_JOB
SUBJECT = "ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด"
RED = "#D32F2F"
UTC, BANGKOK = ZoneInfo("UTC"), ZoneInfo("Asia/Bangkok")


# ---- the local LINE server ----------------------------------------------------------------------------

class LocalLine:
    """The local LINE server as a test drives and reads it, through its /_fake/ endpoints."""

    def __init__(self, handle):
        self.url, self.platform = handle.url, handle.state
        self.http = requests.Session()
        self.http.trust_env = False

    def control(self, path, body=None):
        response = self.http.post(f"{self.url}/_fake/{path}", json=body or {}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def log(self, name):
        return self.http.get(f"{self.url}/_fake/{name}", timeout=10).json()

    def reset(self):
        self.control("reset")
        self.platform.channel_token = CHANNEL_TOKEN

    def fail(self, mode, count=1, seconds=2):
        """The next `count` push requests fail this way (500, 503, timeout, 429, 429-rate, 401, 400)."""
        self.control("fail", {"mode": mode, "count": count, "seconds": seconds})

    def revoke_token(self):
        """The channel access token stops working, as when it is reissued in the LINE console."""
        self.platform.channel_token = "a-token-that-was-reissued"

    def friend(self):
        """A LINE user adds the official account as a friend: their LINE user id."""
        return self.control("follow")["userId"]

    def accepted(self):
        """The pushes LINE accepted, oldest first."""
        return self.log("pushes")

    def push_attempts(self):
        """Every push request the app made, accepted or not: (HTTP status, X-Line-Retry-Key)."""
        return [(hit["status"], hit["headers"].get("X-Line-Retry-Key")) for hit in self.log("requests")
                if hit["path"] == "/v2/bot/message/push"]


def private_redis_url(redis_url, number):
    return urlsplit(redis_url)._replace(path=f"/{number}").geturl()


@pytest.fixture(scope="module")
def line_server():
    with fake_line_server() as handle:
        yield LocalLine(handle)


@pytest.fixture
def line(line_server):
    """The local LINE server, emptied; after the test, nothing the app sent it broke LINE's contract."""
    line_server.reset()
    yield line_server
    assert line_server.log("contract-errors") == []


# ---- the app with LINE, inside the test's transaction ---------------------------------------------------

@pytest.fixture(scope="module")
def line_app(app, database_url, redis_url, line_server):
    """The app with LINE pointing at the local server, on the shared test database (whose schema `app`
    built) and a Redis database of its own; a LINE call gives up after one second."""
    application = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}, environ=app_environ(
        database_url, private_redis_url(redis_url, IN_TEST_REDIS_DB),
        **line_environ(line_server.url, LINE_TIMEOUT_SECONDS="1")))
    application.test_client_class = IsolatedRequestClient
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _inside_line_app(request):
    """Outside own_database tests, the test's transaction is used through the app with LINE."""
    if request.node.get_closest_marker("own_database"):
        yield
        return
    request.getfixturevalue("db_session")
    with request.getfixturevalue("line_app").app_context():
        yield


@pytest.fixture
def client(line_app):
    return line_app.test_client()


@pytest.fixture
def jobs(line_app):
    """The queue the app enqueues its jobs to, empty at the start."""
    queue = line_app.extensions["esaraban_jobs"].queue
    queue.connection.flushdb()
    return queue


def run_queued_jobs(queue):
    """Run each job waiting in the queue as a worker would, in a fresh context of the app; the names of the
    jobs run. Delayed jobs (retries, grouped pushes) wait in the scheduler and are not run."""
    application, ran = current_app._get_current_object(), []
    while queue.count:
        job = queue.jobs[0]
        queue.remove(job)
        contextvars.Context().run(_run_in_app, application, job)
        ran.append(job.func_name)
    db.session.expire_all()  # the test's own objects reload what the jobs changed
    return ran


def _run_in_app(application, job):
    with application.app_context():
        job.func(*job.args, **job.kwargs)


# ---- people and letters -----------------------------------------------------------------------------

def build_org():
    """กองคลัง (A) sends to กองช่าง (B); กองการศึกษา (C) is another unit. B has two clerks, an operator, a
    section head and a director. Someone of C acts for B's first clerk today; someone else did until
    yesterday."""
    a, b, c = make_unit(name_th="กองคลัง"), make_unit(name_th="กองช่าง"), make_unit(name_th="กองการศึกษา")
    org = SimpleNamespace(
        a=a, b=b, c=c,
        clerk_a=make_user(unit=a, roles=("clerk",)),
        clerk_b=make_user(unit=b, roles=("clerk",)),
        clerk_b2=make_user(unit=b, roles=("clerk",)),
        operator_b=make_user(unit=b, roles=("operator",)),
        head_b=make_user(unit=b, roles=("manager",), manager_level="section_head"),
        director_b=make_user(unit=b, roles=("manager",), manager_level="division_head"),
        clerk_c=make_user(unit=c, roles=("clerk",)),
        stand_in=make_user(unit=c, roles=("operator",)),
        former_stand_in=make_user(unit=c, roles=("operator",)))
    today = today_local()
    week = timedelta(days=7)
    db.session.add_all([
        Delegation(principal=org.clerk_b, deputy=org.stand_in, starts_on=today, ends_on=today + week),
        Delegation(principal=org.clerk_b, deputy=org.former_stand_in, starts_on=today - week,
                   ends_on=today - timedelta(days=1))])
    db.session.commit()
    return org


@pytest.fixture
def org():
    return build_org()


def build_units():
    """The least a LINE test needs: A's clerk sends, B's clerk receives."""
    a, b = make_unit(name_th="กองคลัง"), make_unit(name_th="กองช่าง")
    return SimpleNamespace(a=a, b=b, clerk_a=make_user(unit=a, roles=("clerk",)),
                           clerk_b=make_user(unit=b, roles=("clerk",)))


@pytest.fixture
def units():
    return build_units()


def by(user):
    return Actor(user=user)


def a_document(unit, subject=SUBJECT, **details):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor.system("test"), owner_unit=unit, details=DocumentDetails(
        type=external, subject=subject, **details))
    db.session.commit()
    return document


def arrival(org, subject=SUBJECT, **details):
    """A letter from A reaches B (committed, as the clerk's request would be): its delivery."""
    document = a_document(org.a, subject, **details)
    delivery, = routing.send(by(org.clerk_a), document, from_unit=org.a, to_units=[org.b],
                             note="โปรดพิจารณาดำเนินการ")
    db.session.commit()
    return delivery


def at_work(org, **details):
    """B's clerk registers the arrival and gives the work to B's operator: the handling."""
    delivery = arrival(org, **details)
    handling.register_delivery(by(org.clerk_b), delivery)
    db.session.commit()
    work = handling_queries.open_handling(delivery.document, org.b)
    handling.assign(by(org.clerk_b), work, operator=org.operator_b)
    db.session.commit()
    return work


def linked(line, user):
    """`user` has added the official account and linked their LINE account: their LINE user id."""
    line_user_id = line.friend()
    db.session.add(LineAccount(user_id=user.id, line_user_id=line_user_id))
    db.session.commit()
    return line_user_id


# ---- what people are told ------------------------------------------------------------------------------

def told(action):
    """Run one action and commit it as a request would: who it told what, as {event: {usernames}}."""
    before = db.session.scalar(select(func.max(Notification.id))) or 0
    action()
    db.session.commit()
    people = defaultdict(set)
    for notice in db.session.scalars(select(Notification).where(Notification.id > before)):
        people[notice.event].add(db.session.get(User, notice.user_id).username)
    return dict(people)


def told_by(step, who, *args, **kwargs):
    """One step taken by a person, committed like a request: who it told what."""
    return told(lambda: step(by(who), *args, **kwargs))


def due_notices_on(day):
    """The daily sweep's due-date check on `day`: who it told what."""
    return told(lambda: notifications.raise_due_notices(day))


def names(*users):
    return {user.username for user in users}


def notices_of(user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def unread_badge(html):
    """The number in the header's notification badge, or None when there is no badge."""
    marker = 'data-testid="unread-count">'
    return html.split(marker)[1].split("<")[0] if marker in html else None


# ---- the LINE outbox -----------------------------------------------------------------------------------

def pushes_to(user):
    return db.session.scalars(select(LinePush).where(LinePush.user_id == user.id).order_by(LinePush.id)).all()


def send(push, now=None):
    """The worker's send of one push, committed."""
    notifications.send_push(push.id, now=now)
    db.session.commit()
    return push


def when_due(push):
    """Time passes until the push is due again."""
    push.due_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def first_of_next_month_in_bangkok(now):
    local = now.replace(tzinfo=UTC).astimezone(BANGKOK).date()
    first = date(local.year + local.month // 12, local.month % 12 + 1, 1)
    return datetime.combine(first, time(), BANGKOK).astimezone(UTC).replace(tzinfo=None)


def speed_label(card):
    label = card["contents"]["header"]["contents"][0]
    return label["text"], label["color"]


def texts_of(card):
    """The texts a person reads on a Flex card, top to bottom."""
    bubble = card["contents"]
    return [item["text"] for part in ("header", "body") if part in bubble
            for item in bubble[part]["contents"] if item["type"] == "text"]


def button_uri(card):
    return card["contents"]["footer"]["contents"][0]["action"]["uri"]


# ---- webhooks, signed as LINE signs them ----------------------------------------------------------------

def deliver(client, line, *events, signed_with=CHANNEL_SECRET):
    """POST a webhook body with these events to the app, signed with `signed_with` (None: unsigned). Every
    body the app is given is first checked against LINE's webhook schema: it is one LINE could send."""
    body = {"destination": line.platform.bot_user_id, "events": list(events)}
    check_webhook_body(body)
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"X-Line-Signature": webhook.signature(signed_with, raw)} if signed_with else {}
    return client.post("/line/webhook", data=raw, headers=headers, content_type="application/json")


def account_link_event(line_user_id, nonce):
    return webhook.event("accountLink", line_user_id, replyToken=ids.reply_token(),
                         link={"result": "ok", "nonce": nonce})


def line_account_of(user):
    account = db.session.scalar(select(LineAccount).where(LineAccount.user_id == user.id))
    return account.line_user_id if account else None


def invited(client, line, jobs, display_name="สมศรี ใจดี"):
    """A LINE user adds the official account as a friend and the app's job replies with the link button, as
    LINE and a worker would: (their LINE user id, the link token in the button)."""
    friend = line.control("follow", {"displayName": display_name})
    deliver(client, line, webhook.event("follow", friend["userId"], replyToken=friend["replyToken"],
                                        follow={"isUnblocked": False}))
    assert run_queued_jobs(jobs) == ["app.notifications.jobs.invite_to_link"]
    [reply] = [reply for reply in line.log("replies") if reply["to"] == friend["userId"]]
    button = urlsplit(button_uri(reply["messages"][0]))
    assert f"{button.scheme}://{button.netloc}{button.path}" == f"{PUBLIC_URL}/line/link"
    return friend["userId"], parse_qs(button.query)["linkToken"][0]


def link_page(client, link_token):
    return client.get(f"/line/link?linkToken={link_token}")


def nonce_from_confirming(client, line, link_token):
    """Confirm on the link page: the app sends the browser to LINE's account-link dialog with a nonce."""
    response = client.post("/line/link", data={"link_token": link_token})
    assert response.status_code == 302
    dialog = urlsplit(response.location)
    assert f"{dialog.scheme}://{dialog.netloc}{dialog.path}" == f"{line.url}/dialog/bot/accountLink"
    query = parse_qs(dialog.query)
    assert query["linkToken"] == [link_token]
    return query["nonce"][0]


def link_request(link_token):
    return db.session.scalar(select(LineLinkRequest).where(LineLinkRequest.link_token == link_token))


NOT_OUR_LINK = "ลิงก์นี้ใช้ไม่ได้"


# ==== R3.1 who is told what ==============================================================================

def test_r3_1_a_new_delivery_tells_the_receiving_clerks_and_whoever_acts_for_them_today_only(org):
    document = a_document(org.a)
    # not the sender, not another unit's clerk, not the unit's operator, not a stand-in whose dates are over
    assert told_by(routing.send, org.clerk_a, document, from_unit=org.a, to_units=[org.b]) == {
        "arrival": names(org.clerk_b, org.clerk_b2, org.stand_in)}


def test_r3_1_each_step_inside_the_unit_tells_the_one_who_must_act_next(org):
    delivery = arrival(org)
    handling.register_delivery(by(org.clerk_b), delivery)
    db.session.commit()
    work = handling_queries.open_handling(delivery.document, org.b)

    assert told_by(handling.to_manager, org.clerk_b, work, manager=org.head_b) == {
        "instruction": names(org.head_b)}
    assert told_by(handling.assign, org.head_b, work, operator=org.operator_b, instruction="ดำเนินการ") == {
        "assignment": names(org.operator_b)}
    assert told_by(handling.propose, org.operator_b, work, reviewer=org.head_b) == {
        "sign_request": names(org.head_b)}
    assert told_by(handling.endorse, org.head_b, work, next_reviewer=org.director_b) == {
        "sign_request": names(org.director_b)}
    assert told_by(handling.send_back, org.director_b, work, "แก้ไขย่อหน้าที่สอง") == {
        "sent_back": names(org.operator_b)}


def test_r3_1_a_return_tells_the_sender_and_a_recall_tells_the_receiving_clerks(org):
    returned = arrival(org)
    assert told_by(routing.return_to_sender, org.clerk_b, returned, "ไม่ใช่งานของกองช่าง") == {
        "returned": names(org.clerk_a)}  # the sender (also A's only clerk)

    recalled = arrival(org, subject="เรื่องที่ส่งผิด")
    assert told_by(routing.recall, org.clerk_a, recalled) == {
        "recalled": names(org.clerk_b, org.clerk_b2, org.stand_in)}


def test_r3_1_due_soon_and_overdue_tell_the_operator_and_the_units_clerks_once_per_due_date(org):
    today = today_local()
    work = at_work(org, due_date=today + timedelta(days=1))
    responsible = names(org.operator_b, org.clerk_b, org.clerk_b2, org.stand_in)

    assert due_notices_on(today) == {"due_soon": responsible}
    assert due_notices_on(today) == {}
    assert due_notices_on(today + timedelta(days=1)) == {}  # the due date itself: told already
    assert due_notices_on(today + timedelta(days=2)) == {"overdue": responsible}
    assert due_notices_on(today + timedelta(days=2)) == {}

    assert told_by(change_due_date, org.clerk_b, work.document, new_due_date=today + timedelta(days=9),
                   reason="ขอขยายเวลา") == {}
    assert due_notices_on(today + timedelta(days=8)) == {"due_soon": responsible}  # a new date, a new notice


def test_r3_1_the_clerk_sees_the_notice_and_badge_and_opening_it_marks_it_read(org, client, login):
    delivery = arrival(org)
    login(client, org.clerk_b)
    page = client.get("/notifications").get_data(as_text=True)
    assert unread_badge(page) == "1" and unread_count(org.clerk_b) == 1
    assert "หนังสือเข้าใหม่" in page and SUBJECT in page and "กองคลัง" in page

    [notice] = notices_of(org.clerk_b)
    response = client.get(f"/notifications/{notice.id}")
    assert response.status_code == 302 and response.location.endswith(f"/documents/{delivery.document_id}")
    assert SUBJECT in client.get(response.location).get_data(as_text=True)
    assert notice.read_at is not None and unread_count(org.clerk_b) == 0
    assert unread_badge(client.get("/notifications").get_data(as_text=True)) is None
    assert unread_count(org.clerk_b2) == 1  # each clerk reads their own

    client.post("/logout")
    login(client, org.operator_b)
    page = client.get("/notifications").get_data(as_text=True)
    assert unread_badge(page) is None and SUBJECT not in page
    assert client.get(f"/notifications/{notice.id}").status_code == 404


def test_r3_1_a_recall_notice_does_not_lead_to_a_document_the_clerk_may_no_longer_open(org, client, login):
    recalled = arrival(org, subject="เรื่องที่ส่งผิด")
    told_by(routing.recall, org.clerk_a, recalled)
    recall_notice = next(n for n in notices_of(org.clerk_b) if n.event == "recalled")
    login(client, org.clerk_b)
    response = client.get(f"/notifications/{recall_notice.id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/notifications"
    assert "ท่านไม่สามารถเปิดหนังสือนี้ได้แล้ว" in page
    assert recall_notice.read_at is not None
    card = cards.card(recall_notice, "http://esaraban.test")
    assert "footer" not in card["contents"] and "ผู้ส่งดึงหนังสือกลับ" in texts_of(card)


# ==== R3.2 the outbox is written in the action's transaction ===============================================

def test_r3_2_a_rolled_back_action_leaves_no_notice_no_push_and_enqueues_nothing(units, line, jobs):
    linked(line, units.clerk_b)
    document = a_document(units.a)

    def outbox():
        return (db.session.scalar(select(func.count()).select_from(Notification)),
                db.session.scalar(select(func.count()).select_from(LinePush)))

    def send_it():
        routing.send(by(units.clerk_a), document, from_unit=units.a, to_units=[units.b])

    send_it()
    assert outbox() == (1, 1)  # written with the action
    db.session.rollback()  # the request fails after it
    db.session.commit()  # and the session's next commit enqueues nothing of it
    assert outbox() == (0, 0)
    assert jobs.count == 0 and ScheduledJobRegistry(queue=jobs).count == 0

    send_it()
    db.session.commit()
    [push] = pushes_to(units.clerk_b)
    assert outbox() == (1, 1)
    assert [(job.func_name, job.args) for job in jobs.jobs] == [(SEND_JOB, (push.id,))]


# ==== R3.3 LINE ==========================================================================================

def test_r3_3_a_committed_arrival_is_pushed_to_the_linked_line_account_with_a_retry_key(units, line, jobs):
    line_user_id = linked(line, units.clerk_b)
    arrival(units)
    assert run_queued_jobs(jobs) == [SEND_JOB]

    [push] = pushes_to(units.clerk_b)
    [accepted] = line.accepted()
    assert accepted["to"] == line_user_id and accepted["retryKey"] == push.retry_key
    assert str(uuid.UUID(push.retry_key)) == push.retry_key
    assert (push.status, push.attempts, push.message_count) == ("sent", 1, 1) and push.sent_at is not None


@pytest.mark.parametrize("failure", ["500", "503", "timeout", "429-rate"])
def test_r3_3_a_temporary_failure_is_retried_later_under_the_same_retry_key(units, line, failure):
    linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    line.fail(failure)

    send(push)
    assert (push.status, push.attempts) == ("retrying", 1) and push.due_at > utcnow()
    assert line.accepted() == []

    when_due(push)
    send(push)
    assert (push.status, push.attempts) == ("sent", 2)
    wait_until(lambda: len(line.push_attempts()) == 2, message="both requests")  # a timed-out one ends late
    assert {retry_key for _, retry_key in line.push_attempts()} == {push.retry_key}
    assert [accepted["retryKey"] for accepted in line.accepted()] == [push.retry_key]


def test_r3_3_a_push_line_had_already_accepted_counts_as_sent_when_it_is_sent_again(units, line):
    linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    send(push)
    push.status, push.sent_at = "pending", None  # as if LINE's answer had been lost
    db.session.commit()

    send(push)
    assert push.status == "sent" and push.last_error.startswith("409")
    assert [status for status, _ in line.push_attempts()] == [200, 409]
    assert len(line.accepted()) == 1


def test_r3_3_a_refused_push_fails_and_an_admin_resends_it_with_a_new_key(units, line, jobs, client, login):
    linked(line, units.clerk_b)
    line.fail("400")
    arrival(units)
    run_queued_jobs(jobs)
    [push] = pushes_to(units.clerk_b)
    assert push.status == "failed" and push.last_error.startswith("400")
    refused_key = push.retry_key

    login(client, make_user(roles=("admin",)))
    response = client.post(f"/admin/line/pushes/{push.id}/resend", follow_redirects=True)
    assert "ระบบจะส่งข้อความอีกครั้ง" in response.get_data(as_text=True)
    assert run_queued_jobs(jobs) == [SEND_JOB]
    assert push.status == "sent" and push.retry_key != refused_key
    assert [accepted["retryKey"] for accepted in line.accepted()] == [push.retry_key]


def test_r3_3_a_push_still_failing_when_its_retry_key_expires_fails(units, line):
    linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    push.status, push.attempts, push.outcome_unknown = "retrying", 5, True
    push.key_created_at = utcnow() - timedelta(hours=24, seconds=-5)  # LINE forgets it before the next try
    db.session.commit()
    line.fail("500")

    send(push)
    assert push.status == "failed" and "24 hours" in push.last_error


def test_r3_2_a_job_dying_after_line_took_the_push_never_makes_it_arrive_twice(units, line):
    """The mark is committed before LINE is called: a worker killed after LINE said 200 leaves the push
    to be retried under the same key (LINE answers 409: sent), even a day later, never under a new one."""
    line_user_id = linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    to, messages, retry_key = notifications._claim(push.id, utcnow())
    db.session.commit()
    assert push.outcome_unknown and push.attempts == 1 and to == line_user_id
    headers = {"Authorization": f"Bearer {CHANNEL_TOKEN}", "X-Line-Retry-Key": retry_key}
    accepted = requests.post(f"{line.url}/v2/bot/message/push", json={"to": to, "messages": messages},
                             headers=headers)
    assert accepted.status_code == 200  # ... and the worker dies before recording it

    send(push, now=utcnow() + timedelta(hours=23, minutes=30))
    assert (push.status, push.retry_key) == ("sent", retry_key) and "409" in push.last_error
    assert len(line.accepted()) == 1


def test_r3_2_with_no_answer_for_24_hours_a_push_is_left_to_the_admin_not_risked_twice(units, line):
    linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    notifications._claim(push.id, utcnow())
    db.session.commit()  # a request went out; its answer was lost with the worker

    send(push, now=utcnow() + timedelta(hours=25))
    assert push.status == "failed" and "may have arrived" in push.last_error
    assert line.accepted() == []


def test_r3_3_the_monthly_limit_pauses_line_until_next_month_while_the_app_still_tells_people(units, line):
    admins = make_user(roles=("admin",)), make_user(roles=("admin",))
    linked(line, units.clerk_b)
    line.control("quota", {"monthly_quota": 100, "usage": 100})
    arrival(units)
    [first] = pushes_to(units.clerk_b)

    assert told(lambda: send(first)) == {"line_paused": names(*admins)}
    channel = notifications.channel()
    assert channel.paused_reason == "monthly_limit"
    assert channel.paused_until == first_of_next_month_in_bangkok(utcnow())
    assert first.status == "pending"

    assert told(lambda: arrival(units, subject="เรื่องระหว่างหยุดส่ง")) == {
        "arrival": names(units.clerk_b)}
    first, second = pushes_to(units.clerk_b)
    assert told(lambda: (send(first), send(second))) == {}  # admins were told once
    assert notifications.due_pushes(utcnow()) == []  # the sweep hands nothing to the workers
    assert len(line.push_attempts()) == 1 and line.accepted() == []

    next_month = channel.paused_until + timedelta(minutes=1)
    line.control("quota", {"usage": 0})
    notifications.check_channel(next_month)
    send(first, now=next_month)
    send(second, now=next_month)
    assert not notifications.channel().paused_reason and (first.status, second.status) == ("sent", "sent")
    assert len(line.accepted()) == 2


def test_r3_3_a_refused_token_pauses_line_until_the_token_works_again(units, line):
    admin = make_user(roles=("admin",))
    linked(line, units.clerk_b)
    arrival(units)
    [push] = pushes_to(units.clerk_b)
    line.revoke_token()

    assert told(lambda: send(push)) == {"line_paused": names(admin)}
    channel = notifications.channel()
    assert (channel.paused_reason, channel.paused_until, push.status) == ("bad_token", None, "pending")
    notifications.check_channel(utcnow())
    assert notifications.channel().paused_reason == "bad_token"

    line.reset()  # the new token is set: LINE takes it
    notifications.check_channel(utcnow())
    assert notifications.channel().paused_reason == ""
    send(push)
    assert push.status == "sent" and len(line.accepted()) == 1


def test_r3_3_most_urgent_goes_alone_at_once_others_share_a_push_of_up_to_5(units, line, jobs, monkeypatch):
    monkeypatch.setitem(current_app.config, "LINE_GROUP_SECONDS", 60)
    linked(line, units.clerk_b)
    for number in (1, 2, 3):
        arrival(units, subject=f"เรื่องที่ {number}")
    arrival(units, subject="เรื่องด่วนที่สุด", speed="most_urgent")
    for number in (4, 5, 6):
        arrival(units, subject=f"เรื่องที่ {number}")

    grouped, urgent, sixth = pushes_to(units.clerk_b)
    assert [(push.urgent, push.message_count) for push in (grouped, urgent, sixth)] == [
        (False, 5), (True, 1), (False, 1)]
    assert urgent.due_at <= utcnow() < grouped.due_at
    assert run_queued_jobs(jobs) == [SEND_JOB]  # only the urgent one is due; the others wait for their window
    assert ScheduledJobRegistry(queue=jobs).count == 2
    send(grouped)  # too early: nothing happens
    assert grouped.status == "pending"

    window_over = utcnow() + timedelta(seconds=61)
    send(grouped, now=window_over)
    send(sixth, now=window_over)
    alt_texts = [[message["altText"] for message in push["messages"]] for push in line.accepted()]
    assert [len(texts) for texts in alt_texts] == [1, 5, 1]
    assert "เรื่องด่วนที่สุด" in alt_texts[0][0] and "เรื่องที่ 6" in alt_texts[2][0]
    assert [text.split(": ")[1] for text in alt_texts[1]] == [f"เรื่องที่ {n}" for n in range(1, 6)]


def test_r3_3_the_line_card_shows_the_speed_hides_a_classified_subject_and_opens_it(units, line, jobs):
    linked(line, units.clerk_b)
    by_speed = [arrival(units, subject=f"เรื่องความเร็ว {speed}", speed=speed)
                for speed in ("normal", "urgent", "very_urgent", "most_urgent")]
    classified = arrival(units, subject="ผลการสอบสวนทางวินัย", secrecy="confidential")
    run_queued_jobs(jobs)
    *speed_cards, secret_card = [push["messages"][0] for push in line.accepted()]

    assert [speed_label(card) for card in speed_cards] == [
        ("ปกติ", "#8A8A8A"), ("ด่วน", RED), ("ด่วนมาก", RED), ("ด่วนที่สุด", RED)]
    urgent_card = speed_cards[1]
    assert texts_of(urgent_card) == ["ด่วน", "หนังสือเข้าใหม่", "เรื่องความเร็ว urgent", "จาก กองคลัง",
                                     "โปรดพิจารณาดำเนินการ"]
    assert button_uri(urgent_card) == f"{PUBLIC_URL}/documents/{by_speed[1].document_id}"

    assert "ผลการสอบสวน" not in json.dumps(secret_card, ensure_ascii=False)
    assert texts_of(secret_card) == ["ปกติ", "หนังสือเข้าใหม่", "หนังสือชั้นความลับ: เปิดอ่านในระบบ",
                                     "จาก กองคลัง"]  # and not the note
    assert button_uri(secret_card) == f"{PUBLIC_URL}/documents/{classified.document_id}"


# ==== R3.4 linking through LINE's webhook ==================================================================

@pytest.mark.parametrize("signed_with", [None, "not-the-channel-secret"], ids=["unsigned", "wrong-secret"])
def test_r3_4_a_webhook_without_our_signature_is_refused_changing_nothing(units, line, client, signed_with):
    line_user_id = linked(line, units.clerk_b)
    unfollow = webhook.event("unfollow", line_user_id)

    assert deliver(client, line, unfollow, signed_with=signed_with).status_code == 401
    assert line_account_of(units.clerk_b) == line_user_id
    assert db.session.scalar(select(func.count()).select_from(LineWebhookEvent)) == 0

    assert deliver(client, line, unfollow).status_code == 200
    assert line_account_of(units.clerk_b) is None


def test_r3_4_an_event_line_delivers_twice_is_handled_once(units, line, client):
    line_user_id = linked(line, units.clerk_b)
    unfollow = webhook.event("unfollow", line_user_id)
    deliver(client, line, unfollow)
    assert line_account_of(units.clerk_b) is None

    db.session.add(LineAccount(user_id=units.clerk_b.id, line_user_id=line_user_id))  # linked again since
    db.session.commit()
    redelivered = {**unfollow, "deliveryContext": {"isRedelivery": True}}
    assert deliver(client, line, redelivered).status_code == 200
    assert line_account_of(units.clerk_b) == line_user_id


def test_r3_4_linking_needs_the_nonce_issued_for_that_line_user_once_and_in_time(units, line, client, login,
                                                                                  jobs):
    """Issue 12 item 8: the accountLink event links only with the nonce this login was given for this LINE
    user's request, once, within ten minutes."""
    assert "/login" in link_page(client, "abc").location  # to the login page first
    login(client, units.clerk_b)
    line_user_id, link_token = invited(client, line, jobs)
    other_line_user = line.friend()

    nonce = nonce_from_confirming(client, line, link_token)
    deliver(client, line, account_link_event(other_line_user, nonce))  # a nonce meant for someone else
    assert line_account_of(units.clerk_b) is None
    deliver(client, line, account_link_event(line_user_id, nonce))
    assert line_account_of(units.clerk_b) == line_user_id

    client.post("/account/line/unlink")
    deliver(client, line, account_link_event(line_user_id, nonce))  # the same nonce again: used
    assert line_account_of(units.clerk_b) is None

    line_user_id, link_token = invited(client, line, jobs)
    stale = nonce_from_confirming(client, line, link_token)
    link_request(link_token).confirmed_at -= timedelta(minutes=11)
    db.session.commit()
    deliver(client, line, account_link_event(line_user_id, stale))
    assert line_account_of(units.clerk_b) is None

    line_user_id, link_token = invited(client, line, jobs)
    first = nonce_from_confirming(client, line, link_token)
    again = nonce_from_confirming(client, line, link_token)  # back from LINE's dialog, confirmed again
    deliver(client, line, account_link_event(line_user_id, first))
    assert line_account_of(units.clerk_b) is None
    deliver(client, line, account_link_event(line_user_id, again))
    assert line_account_of(units.clerk_b) == line_user_id


def test_r3_4_a_link_opened_by_someone_else_names_the_line_account_and_links_nothing_unconfirmed(
        units, line, client, login, jobs):
    """Issue 12 item 8: someone sends their own link button to a logged-in colleague. Opening it shows whose
    LINE account it is; nothing is linked and LINE's dialog is not reached without a confirming POST."""
    attacker_line, link_token = invited(client, line, jobs, display_name="ผู้ขอเชื่อมบัญชี ทดสอบ")
    login(client, units.clerk_b)

    page = link_page(client, link_token)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "ผู้ขอเชื่อมบัญชี ทดสอบ" in html and linking.masked_line_id(attacker_line) in html
    assert attacker_line not in html  # the whole id addresses pushes: shown masked only
    assert "ยืนยันเชื่อมบัญชี LINE นี้" in html and 'action="/line/link"' in html
    assert link_request(link_token).nonce is None and link_request(link_token).user_id is None
    assert line_account_of(units.clerk_b) is None

    # whatever nonce reaches LINE's dialog without the confirmation, LINE's event links nothing
    deliver(client, line, account_link_event(attacker_line, "a-nonce-the-app-never-issued"))
    assert line_account_of(units.clerk_b) is None
    assert 'data-testid="line-not-linked"' in client.get("/account/line").get_data(as_text=True)


@pytest.mark.parametrize("case", ["made-up", "expired", "used"])
def test_r3_4_a_link_token_the_app_did_not_ask_for_or_that_expired_is_refused_in_thai(
        units, line, client, login, jobs, case):
    """Issue 12 item 8: only tokens the app asked LINE for, for ten minutes, once."""
    line_user_id, link_token = invited(client, line, jobs)
    login(client, units.clerk_b)
    if case == "made-up":
        link_token = "a-token-line-never-issued-for-us"
    elif case == "expired":
        link_request(link_token).requested_at -= timedelta(minutes=11)
        db.session.commit()
    else:
        deliver(client, line, account_link_event(line_user_id, nonce_from_confirming(client, line, link_token)))
        client.post("/account/line/unlink")

    for opened in (lambda: link_page(client, link_token),
                   lambda: client.post("/line/link", data={"link_token": link_token})):
        response = opened()
        assert response.status_code == 302 and response.location == "/account/line"
        page = client.get(response.location).get_data(as_text=True)
        assert NOT_OUR_LINK in page and 'data-testid="line-not-linked"' in page
    assert line_account_of(units.clerk_b) is None


def test_r3_4_without_a_display_name_from_line_the_page_names_the_line_id_masked(units, line, client, login):
    line_user_id = line.friend()
    linking.record_link_request(line_user_id, "token-for-a-profile-line-did-not-give", display_name="")
    db.session.commit()
    login(client, units.clerk_b)
    html = link_page(client, "token-for-a-profile-line-did-not-give").get_data(as_text=True)
    masked = linking.masked_line_id(line_user_id)
    assert masked == f"{line_user_id[:5]}…{line_user_id[-4:]}"
    assert html.count(masked) == 2 and line_user_id not in html


def test_r3_4_unlinking_from_the_account_page_stops_line_pushes_but_not_notices(units, line, client, login):
    linked(line, units.clerk_b)
    login(client, units.clerk_b)
    assert 'data-testid="line-linked"' in client.get("/account/line").get_data(as_text=True)

    page = client.post("/account/line/unlink", follow_redirects=True).get_data(as_text=True)
    assert "ยกเลิกการเชื่อมบัญชี LINE แล้ว" in page and 'data-testid="line-not-linked"' in page
    arrival(units)
    assert pushes_to(units.clerk_b) == [] and unread_count(units.clerk_b) == 1


# ==== R3.7 the admin's LINE page ===========================================================================

def test_r3_7_the_admin_line_page_counts_pushes_shows_last_error_and_quota(units, line, jobs, client, login):
    linked(line, units.clerk_b)
    arrival(units)
    run_queued_jobs(jobs)  # sent
    line.fail("400")
    arrival(units)
    run_queued_jobs(jobs)  # refused
    arrival(units)  # waiting for its job
    line.control("quota", {"monthly_quota": 1000, "usage": 123})

    login(client, make_user(roles=("admin",)))
    page = client.get("/admin/line").get_data(as_text=True)
    counts = {status: page.split(f'data-testid="count-{status}">')[1].split("<")[0]
              for status in ("pending", "retrying", "sent", "failed", "skipped")}
    assert counts == {"pending": "1", "retrying": "0", "sent": "1", "failed": "1", "skipped": "0"}
    assert "400 The request body has 1 error(s)" in page
    assert "ใช้ไปแล้ว 123 จาก 1000 ข้อความ" in page

    client.post("/logout")
    login(client, units.clerk_b)
    assert client.get("/admin/line").status_code == 403


# ==== R3.4-R3.6 the real thing: the app served, a real worker, LINE sending webhooks =======================

@pytest.fixture(scope="module")
def live(redis_url):
    """Committed data on a database of this module's own, the app served over HTTP, a real worker process
    (scheduler and a one-second sweep) on a Redis database of its own, and the local LINE server sending
    signed webhooks to the app."""
    database = sibling_database_url("_notifications")
    recreate_database(database)
    worker_redis = private_redis_url(redis_url, WORKER_REDIS_DB)
    Redis.from_url(worker_redis).flushdb()
    with fake_line_server() as fake:
        # LOG_LEVEL=WARNING: the worker's log goes to a pipe that nobody reads while it runs
        environ = app_environ(database, worker_redis, **line_environ(fake.url), LOG_LEVEL="WARNING")
        application = create_app(environ=environ)
        build_schema(application)
        with serve_in_thread(application) as server:
            fake.state.webhook_url = f"{server.url}/line/webhook"
            with rq_worker(environ):
                yield SimpleNamespace(app=application, url=server.url, line=LocalLine(fake))
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def live_line(live):
    live.line.reset()
    yield live.line
    assert live.line.log("contract-errors") == []


def as_now_in_database(row):
    """The row as committed now (the worker changes it in another process)."""
    db.session.rollback()
    return row


def browser_logged_in(live, user):
    browser = requests.Session()
    browser.trust_env = False
    token = csrf_token_from(browser.get(f"{live.url}/login", timeout=10).text)
    form = {"username": user.username, "password": DEFAULT_PASSWORD, "csrf_token": token}
    response = browser.post(f"{live.url}/login", data=form, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return browser


@pytest.mark.own_database
def test_r3_5_the_worker_alone_pushes_an_arrival_to_a_linked_clerk(live, live_line):
    with live.app.app_context():
        units = build_units()
        line_user_id = linked(live_line, units.clerk_b)
        arrival(units)
        [push] = pushes_to(units.clerk_b)
        pushed = wait_until(live_line.accepted, message="the worker's push")
        assert [(accepted["to"], accepted["retryKey"]) for accepted in pushed] == [
            (line_user_id, push.retry_key)]
        wait_until(lambda: as_now_in_database(push).status == "sent", message="the push marked sent")


@pytest.mark.own_database
def test_r3_5_a_push_whose_job_was_lost_is_sent_by_the_periodic_sweep(live, live_line, monkeypatch):
    with live.app.app_context():
        units = build_units()
        linked(live_line, units.clerk_b)
        monkeypatch.setattr(notifications, "enqueue_after_commit", lambda *args, **kwargs: None)  # lost
        arrival(units)
        [push] = pushes_to(units.clerk_b)
        pushed = wait_until(live_line.accepted, message="the sweep's push")
        assert [accepted["retryKey"] for accepted in pushed] == [push.retry_key]
        wait_until(lambda: as_now_in_database(push).status == "sent", message="the push marked sent")


@pytest.mark.own_database
def test_r3_5_after_two_failures_the_worker_sends_it_exactly_once_under_one_retry_key(live, live_line):
    with live.app.app_context():
        units = build_units()
        linked(live_line, units.clerk_b)
        live_line.fail("500", count=2)
        arrival(units)
        [push] = pushes_to(units.clerk_b)
        for failed in (1, 2):
            # attempts is committed before LINE is called, so wait for the failure's outcome too
            wait_until(lambda: (as_now_in_database(push).attempts, push.status) == (failed, "retrying"),
                       message=f"failure {failed}")
            when_due(push)  # the sweep hands it back to the worker
        wait_until(lambda: as_now_in_database(push).status == "sent", message="the push marked sent")
        assert live_line.push_attempts() == [(500, push.retry_key)] * 2 + [(200, push.retry_key)]
        assert len(live_line.accepted()) == 1


@pytest.mark.own_database
def test_r3_4_a_new_friend_links_through_line_and_blocking_the_account_unlinks(live, live_line):
    with live.app.app_context():
        user = make_user(roles=("clerk",))
        clerk = SimpleNamespace(id=user.id, username=user.username)
    friend = live_line.control("follow", {"displayName": "สมศรี ใจดี"})
    assert friend["webhook"] == {"status": 200, "error": None}

    [reply] = wait_until(lambda: live_line.log("replies"), message="the worker's invitation")
    assert reply["to"] == friend["userId"]
    invitation = urlsplit(button_uri(reply["messages"][0]))
    assert f"{invitation.scheme}://{invitation.netloc}{invitation.path}" == f"{PUBLIC_URL}/line/link"

    browser = browser_logged_in(live, clerk)
    page = browser.get(f"{live.url}/line/link?{invitation.query}", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "สมศรี ใจดี" in page.text  # the name from the LINE profile
    link_token = parse_qs(invitation.query)["linkToken"][0]
    response = browser.post(f"{live.url}/line/link", data={"link_token": link_token,
                                                           "csrf_token": csrf_token_from(page.text)},
                            allow_redirects=False, timeout=10)
    dialog = response.headers["Location"]
    assert dialog.startswith(f"{live_line.url}/dialog/bot/accountLink?") and "nonce=" in dialog
    assert live_line.http.get(f"{dialog}&auto=1", timeout=20).status_code == 200  # confirmed in LINE
    with live.app.app_context():
        assert line_account_of(clerk) == friend["userId"]
    assert 'data-testid="line-linked"' in browser.get(f"{live.url}/account/line", timeout=10).text

    live_line.control("unfollow", {"userId": friend["userId"]})
    with live.app.app_context():
        assert line_account_of(clerk) is None


@pytest.mark.own_database
def test_r3_6_healthz_reports_the_worker_alive(live):
    body = requests.get(f"{live.url}/healthz", timeout=10).json()
    assert body["jobs"] == {"ok": True, "runner": "rq", "workers": 1, "alive": True}


def test_an_overdue_letter_is_told_once_and_long_overdue_ones_stay_out_of_the_daily_check(org):
    """Issue 17 item 3: the check reads only due dates near today; one missed by more than a week was told
    when it passed and is not read again."""
    today = today_local()
    at_work(org, due_date=today - timedelta(days=notifications.OVERDUE_CATCH_UP_DAYS + 1))
    recent = at_work(org, due_date=today - timedelta(days=2))
    assert due_notices_on(today) == {"overdue": names(org.operator_b, org.clerk_b, org.clerk_b2, org.stand_in)}
    assert {notice.document_id for notice in notices_of(org.operator_b) if notice.event == "overdue"} == {
        recent.document.id}
