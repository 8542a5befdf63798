"""Linking a LINE account to a login with LINE's account-link flow, and the webhook that confirms it.

1. Someone adds the organisation's official account as a friend: LINE sends `follow`; a job asks LINE for
   a link token and replies with a button to /line/link?linkToken=...
2. Logged in, they open it: we store a one-time nonce for their login and send them to LINE's dialog.
3. LINE sends `accountLink` with the nonce and their LINE user id: the nonce names the login to link.
`unfollow` unlinks. Every webhook body is checked against `X-Line-Signature` before anything is read, and
an event seen before (LINE redelivers) is ignored.
"""
import base64
import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.actor import Actor
from app.core.jobs import enqueue_after_commit
from app.core.models import utcnow
from app.extensions import db
from app.notifications.models import LineAccount, LineLinkNonce, LineWebhookEvent

NONCE_LIFETIME = timedelta(minutes=10)


class BadSignature(Exception):
    """The body was not signed with our channel secret: not from LINE."""


def verify_signature(channel_secret, body, signature):
    if not channel_secret or not signature:
        raise BadSignature()
    expected = base64.b64encode(hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        raise BadSignature()


def handle_webhook(channel_secret, body, signature):
    """Verify, then handle each event not seen before. Returns how many were handled."""
    verify_signature(channel_secret, body, signature)
    try:
        events = json.loads(body.decode("utf-8")).get("events", [])
    except (UnicodeDecodeError, ValueError, AttributeError):
        return 0
    return sum(1 for event in events if isinstance(event, dict) and _first_time(event) and _handle(event))


def _first_time(event):
    """Record the event id; False when it was recorded before (a redelivery, or LINE retrying)."""
    event_id = str(event.get("webhookEventId", ""))[:64]
    if not event_id:
        return True
    if db.session.scalar(select(LineWebhookEvent.id).where(LineWebhookEvent.webhook_event_id == event_id)):
        return False
    try:
        with db.session.begin_nested():  # LINE may deliver the same event twice at once
            db.session.add(LineWebhookEvent(webhook_event_id=event_id, type=str(event.get("type", ""))[:32]))
    except IntegrityError:
        return False
    return True


def _handle(event):
    line_user_id = (event.get("source") or {}).get("userId")
    kind = event.get("type")
    if not line_user_id:
        return False
    if kind == "follow" and event.get("replyToken"):
        enqueue_after_commit("app.notifications.jobs.invite_to_link", line_user_id, event["replyToken"])
    elif kind == "accountLink":
        link = event.get("link") or {}
        return link.get("result") == "ok" and complete_link(str(link.get("nonce", "")), line_user_id)
    elif kind == "unfollow":
        db.session.execute(delete(LineAccount).where(LineAccount.line_user_id == line_user_id))
    return True


def start_link(user):
    """A one-time nonce for this login; LINE hands it back with the LINE account it was used from."""
    nonce = secrets.token_urlsafe(32)
    db.session.add(LineLinkNonce(nonce=nonce, user_id=user.id))
    db.session.flush()
    return nonce


def complete_link(nonce, line_user_id, now=None):
    now = now or utcnow()
    row = db.session.scalars(select(LineLinkNonce).where(LineLinkNonce.nonce == nonce).with_for_update()).first()
    if row is None or row.used_at is not None or now - row.created_at > NONCE_LIFETIME:
        return False
    row.used_at = now
    # One LINE account per login and one login per LINE account: a new link replaces an old one.
    db.session.execute(delete(LineAccount).where((LineAccount.user_id == row.user_id)
                                                 | (LineAccount.line_user_id == line_user_id)))
    db.session.add(LineAccount(user_id=row.user_id, line_user_id=line_user_id, linked_at=now))
    db.session.flush()
    audit.record(Actor.system("line"), "line.link", "user", row.user_id)
    return True


def unlink(actor, user):
    removed = db.session.execute(delete(LineAccount).where(LineAccount.user_id == user.id)).rowcount
    if removed:
        audit.record(actor, "line.unlink", "user", user.id)
    return bool(removed)


def account_of(user):
    return db.session.scalar(select(LineAccount).where(LineAccount.user_id == user.id))
