"""Raising notices (in the transaction of the action that causes them) and carrying them to LINE.

Who is told what (R3): a new delivery → the receiving unit's registry clerks; an assignment → the operator;
a letter passed for instructions or proposed for signature → that manager; a send-back → the person it
goes back to; a return → the sender; a recall → the receiving clerks; a due date near or passed → the
operator and the unit's clerks. Everyone acting for one of them today is told too.
"""
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.core.jobs import enqueue_after_commit
from app.core.models import insert_if_missing, utcnow
from app.core.thai_dates import today_local
from app.extensions import db
from app.notifications import cards, line
from app.notifications.models import (
    OPEN_PUSH, Event, LineAccount, LineChannel, LinePush, Notification, PushStatus)
from app.org.models import Delegation, Role, User, UserRole
from app.org.queries import role_holders

MAX_MESSAGES_PER_PUSH = 5  # LINE's limit per push request
RETRY_KEY_LIFETIME = timedelta(hours=24)  # LINE remembers an accepted retry key this long
MAX_BACKOFF_SECONDS = 4 * 3600
OVERDUE_CATCH_UP_DAYS = 7  # an "overdue" notice still raised this long after the due date was missed
SEND_JOB = "app.notifications.jobs.send_push"


# --- raising notices ----------------------------------------------------------------------------------

def notify(event, users, *, document=None, delivery=None, from_unit=None, text="", dedupe_key=None,
           by_line=True):
    """One notice per person (and per deputy acting for them), each queued for LINE when linked."""
    notices = []
    for user in _with_deputies(users):
        key = f"{dedupe_key}:{user.id}" if dedupe_key else None
        if key and db.session.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            continue
        notice = Notification(user_id=user.id, event=event, document_id=document.id if document else None,
                              delivery_id=delivery.id if delivery else None,
                              from_unit_id=from_unit.id if from_unit else None, text=(text or "")[:500],
                              dedupe_key=key)
        db.session.add(notice)
        db.session.flush()
        if by_line and _linked(user.id):
            _queue_for_line(notice, user.id, urgent=bool(document and document.speed == "most_urgent"))
        notices.append(notice)
    return notices


def clerks_of(unit):
    return role_holders(unit, Role.CLERK)


def _with_deputies(users, on=None):
    """The people, and whoever acts for one of them today (รักษาราชการแทน), each once."""
    people = {user.id: user for user in users if user is not None and user.is_active}
    if not people:
        return []
    on = on or today_local()
    deputies = db.session.scalars(select(User).join(Delegation, Delegation.deputy_id == User.id).where(
        Delegation.principal_id.in_(list(people)), Delegation.revoked_at.is_(None),
        Delegation.starts_on <= on, Delegation.ends_on >= on, User.is_active_account.is_(True))).all()
    people.update({deputy.id: deputy for deputy in deputies})
    return list(people.values())


def _linked(user_id):
    return db.session.scalar(select(LineAccount.id).where(LineAccount.user_id == user_id)) is not None


def _queue_for_line(notice, user_id, urgent):
    """ด่วนที่สุด goes at once; other notices for the same person wait a short window and share one push
    (up to five messages), to spare the organisation's monthly message quota."""
    now = utcnow()
    window = 0 if urgent else current_app.config["LINE_GROUP_SECONDS"]
    open_push = _open_push_of(user_id, now) if window else None
    if open_push is not None:
        open_push.message_count += 1
        notice.push_id = open_push.id
        return open_push
    push = LinePush(user_id=user_id, retry_key=str(uuid.uuid4()), urgent=urgent, message_count=1,
                    due_at=now + timedelta(seconds=window), created_at=now, key_created_at=now)
    db.session.add(push)
    db.session.flush()
    notice.push_id = push.id
    enqueue_after_commit(SEND_JOB, push.id, delay=window)
    return push


def _open_push_of(user_id, now):
    """The person's push still gathering notices, locked by its id alone. A locking read over the
    (user, status) index would lock a range a worker needs to mark a push sent: a deadlock, seen."""
    def gathering(query):
        return query.where(LinePush.status == PushStatus.PENDING, LinePush.urgent.is_(False),
                           LinePush.attempts == 0, LinePush.due_at > now,
                           LinePush.message_count < MAX_MESSAGES_PER_PUSH)

    push_id = db.session.scalar(gathering(select(LinePush.id).where(LinePush.user_id == user_id))
                                .order_by(LinePush.id.desc()).limit(1))
    if push_id is None:
        return None
    return db.session.scalars(gathering(select(LinePush).where(LinePush.id == push_id)).with_for_update()
                              .execution_options(populate_existing=True)).first()


def mark_read(user, notice_ids=None):
    query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notice_ids is not None:
        query = query.where(Notification.id.in_(notice_ids))
    now = utcnow()
    for notice in db.session.scalars(query):
        notice.read_at = now


# --- carrying them to LINE ----------------------------------------------------------------------------

def send_push(push_id, now=None):
    """Send one push if it is due; safe to run twice or late.

    The one service that commits, twice: the mark "a request may be on its way" must be durable before
    LINE is called, so that a job dying after LINE accepted (a killed worker, a lost connection) leaves a
    push that is retried under the same key, never a fresh one. The lock is not held while LINE answers.
    """
    now = now or utcnow()
    request = _claim(push_id, now)
    db.session.commit()
    if request is None:
        return db.session.get(LinePush, push_id)
    outcome = line.push(*request)
    for attempt in range(3):
        try:
            push = _locked_push(push_id)
            _apply(push, outcome, now)
            db.session.commit()
            return push
        except OperationalError:  # a deadlock victim: the outcome is still ours to record
            db.session.rollback()
            if attempt == 2:
                raise
    return None


def _claim(push_id, now):
    """(LINE user id, cards, retry key) for a push due now, marked as possibly on its way; else None."""
    push = _locked_push(push_id)
    if push is None or push.status not in OPEN_PUSH or push.due_at > now or _paused(now):
        return None
    account = db.session.scalar(select(LineAccount).where(LineAccount.user_id == push.user_id))
    if account is None or not line.is_configured() or not push.notifications:
        push.status, push.last_error = PushStatus.SKIPPED, "no linked LINE account"
        return None
    key_age = now - push.key_created_at
    if push.outcome_unknown and key_age > RETRY_KEY_LIFETIME:
        # LINE may have taken it under a key it no longer remembers: sending again could show it twice.
        push.status = PushStatus.FAILED
        push.last_error = f"No answer from LINE within 24 hours; it may have arrived. {push.last_error}"[:2000]
        return None
    if not push.outcome_unknown and key_age > RETRY_KEY_LIFETIME - timedelta(hours=1):
        push.retry_key, push.key_created_at = str(uuid.uuid4()), now  # never taken: a fresh key is safe
    push.attempts += 1
    push.outcome_unknown = True
    base_url = current_app.config["PUBLIC_BASE_URL"]
    messages = [cards.card(notice, base_url) for notice in push.notifications[:MAX_MESSAGES_PER_PUSH]]
    return account.line_user_id, messages, push.retry_key


def _locked_push(push_id):
    return db.session.scalars(select(LinePush).where(LinePush.id == push_id).with_for_update()
                              .execution_options(populate_existing=True)).first()


def _apply(push, outcome, now):
    push.last_error = outcome.detail
    # Only a retry leaves it unknown whether LINE took the request; every other answer is definite.
    push.outcome_unknown = outcome.result == line.Result.RETRY
    if outcome.result == line.Result.SENT:
        push.status, push.sent_at = PushStatus.SENT, now
    elif outcome.result == line.Result.RETRY:
        _retry_later(push, now)
    elif outcome.result == line.Result.MONTHLY_LIMIT:
        _pause("monthly_limit", start_of_month(now, next_month=True), now, outcome.detail)
    elif outcome.result == line.Result.BAD_TOKEN:
        _pause("bad_token", None, now, outcome.detail)
    else:
        push.status = PushStatus.FAILED


def _retry_later(push, now):
    delay = timedelta(seconds=min(10 * 2 ** (push.attempts - 1), MAX_BACKOFF_SECONDS))
    if now + delay > push.key_created_at + RETRY_KEY_LIFETIME:
        push.status = PushStatus.FAILED
        push.last_error = f"LINE did not accept it within 24 hours; last answer: {push.last_error}"[:2000]
        return
    push.status, push.due_at = PushStatus.RETRYING, now + delay
    enqueue_after_commit(SEND_JOB, push.id, delay=delay.total_seconds())


def resend(push, now=None):
    """An admin sends a failed push again, under a new retry key (the old one may have expired)."""
    now = now or utcnow()
    push.status, push.attempts, push.due_at, push.outcome_unknown = PushStatus.PENDING, 0, now, False
    push.retry_key, push.key_created_at = str(uuid.uuid4()), now
    enqueue_after_commit(SEND_JOB, push.id)
    return push


# --- the channel: paused by the monthly limit or a bad token ---------------------------------------------

def channel(lock=False):
    """The channel's one row, created on first use; `lock` when deciding on a pause (two workers may hit
    the monthly limit at the same moment, and the admins are to be told once)."""
    insert_if_missing(db.session, LineChannel.__table__, {"id": 1, "paused_reason": ""})
    query = select(LineChannel).where(LineChannel.id == 1).execution_options(populate_existing=True)
    return db.session.scalars(query.with_for_update() if lock else query).one()


def _paused(now):
    state = db.session.get(LineChannel, 1)
    return bool(state and state.paused_reason and (state.paused_until is None or state.paused_until > now))


def _pause(reason, until, now, detail):
    state = channel(lock=True)
    if state.paused_reason == reason and state.paused_until == until:
        return
    state.paused_reason, state.paused_until, state.paused_at = reason, until, now
    message = {"monthly_limit": "LINE หยุดส่งข้อความ: ใช้โควตาข้อความของเดือนนี้ครบแล้ว จะส่งต่อเมื่อขึ้นเดือนใหม่ "
                                "(การแจ้งเตือนในระบบยังทำงานตามปกติ)",
               "bad_token": "LINE หยุดส่งข้อความ: channel access token ไม่ถูกต้องหรือถูกยกเลิก "
                            "กรุณาตรวจสอบการตั้งค่า LINE_CHANNEL_ACCESS_TOKEN"}[reason]
    admins = db.session.scalars(select(User).where(User.is_active_account.is_(True),
                                                   User.roles.any(UserRole.role == Role.ADMIN))).all()
    notify(Event.LINE_PAUSED, admins, text=f"{message} ({detail})"[:500], by_line=False)


def resume(now=None):
    state = channel(lock=True)
    state.paused_reason, state.paused_until, state.paused_at = "", None, None
    return state


def check_channel(now):
    """A pause ends when its month is over, or, for a bad token, as soon as the token works again."""
    state = db.session.get(LineChannel, 1)
    if state is None or not state.paused_reason:
        return
    if state.paused_until is not None and state.paused_until <= now:
        resume(now)
    elif state.paused_reason == "bad_token" and line.is_configured() and line.token_works():
        resume(now)


def start_of_month(now_utc, next_month=False):
    """The first of this (or next) month at midnight local time, as naive UTC like every stored time.
    LINE's month turns at midnight Japan time, two hours before Bangkok's: waiting for ours is safe."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    first = now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date().replace(day=1)
    if next_month:
        first = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time(), zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def due_pushes(now, limit=500):
    """Pushes still waiting a while after their time: what the sweep hands back to the workers. The grace
    leaves alone the ones whose own job is about to run or running (a duplicate would be harmless, but
    a backlog would fill the queue with them)."""
    if _paused(now):
        return []
    config = current_app.config
    grace = timedelta(seconds=config["SWEEP_SECONDS"] + config["LINE_TIMEOUT_SECONDS"])
    return db.session.scalars(select(LinePush.id).where(LinePush.status.in_(OPEN_PUSH),
                                                        LinePush.due_at <= now - grace)
                              .order_by(LinePush.due_at).limit(limit)).all()


# --- due dates ------------------------------------------------------------------------------------------

def raise_due_notices(today):
    """Once per handling and due date: "due soon" DUE_SOON_DAYS before, "overdue" the day after. Only due
    dates near today are read: one past by more than OVERDUE_CATCH_UP_DAYS was told when it passed (or,
    had the server been off that long, is long known), and the letters left open for years stay out of
    every day's check."""
    from app.documents.models import Document
    from app.handling.models import FINISHED, Handling

    soon = today + timedelta(days=current_app.config["DUE_SOON_DAYS"])
    rows = db.session.execute(
        select(Handling, Document.due_date).join(Document, Document.id == Handling.document_id)
        .where(Handling.status.not_in(FINISHED), Document.deleted_at.is_(None),
               Document.due_date.between(today - timedelta(days=OVERDUE_CATCH_UP_DAYS), soon))).all()
    for handling, due_date in rows:
        event = Event.OVERDUE if due_date < today else Event.DUE_SOON
        people = [handling.responsible, *clerks_of(handling.unit)]
        notify(event, people, document=handling.document, from_unit=handling.unit,
               dedupe_key=f"{event}:{handling.id}:{due_date.isoformat()}")
