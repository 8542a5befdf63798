"""Linking a LINE account to a login with LINE's account-link flow, and the webhook that confirms it.

1. Someone adds the organisation's official account as a friend: LINE sends `follow`; a job asks LINE for
   a link token for that LINE user, writes it down with the user's LINE id and display name (a
   `LineLinkRequest`), and replies with a button to /line/link?linkToken=...
2. Logged in, they open it and see which LINE account it would link. Opening it links nothing: only the
   confirmation, a POST with the CSRF token, gives their login a one-time nonce for that request and sends
   them to LINE's dialog. A link token we never asked for, or one past LINE's ten minutes, is refused.
3. LINE sends `accountLink` with the nonce and the LINE user id it was used from: it links only if the
   nonce is the one issued for that LINE user's request, unused, within ten minutes.
Why: a link token is a bearer value. Without step 2's binding and confirmation, anyone could send their
own link to a logged-in colleague and receive that colleague's notices on their LINE (issue 12 item 8).
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
from app.core.errors import BusinessRuleError
from app.core.jobs import enqueue_after_commit
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.text import clean_line
from app.extensions import db
from app.notifications.models import LineAccount, LineLinkRequest, LineWebhookEvent

LINK_TOKEN_LIFETIME = timedelta(minutes=10)  # LINE's: a link token is valid ten minutes, once
NONCE_LIFETIME = timedelta(minutes=10)
NOT_OUR_LINK = _l("This link is not valid: it has expired, was already used, or was not sent to you by our "
                  "LINE official account. Nothing was linked. To link your LINE account, tap the button in "
                  "a new message from the official account.")


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


def record_link_request(line_user_id, link_token, display_name="", now=None):
    """The link token LINE just issued at our request for this LINE user: the only ones /line/link takes.
    The display name is the LINE user's own choice: cleaned, so it cannot pose as another name."""
    pending = LineLinkRequest(link_token=link_token[:128], line_user_id=line_user_id[:64],
                              display_name=clean_line(display_name or "").strip()[:100],
                              requested_at=now or utcnow())
    db.session.add(pending)
    db.session.flush()
    return pending


def pending_request(link_token, now=None, lock=False):
    """The request of this link token while it can still be confirmed, else None."""
    if not link_token or len(link_token) > 128:
        return None
    query = select(LineLinkRequest).where(LineLinkRequest.link_token == link_token)
    pending = db.session.scalars(query.with_for_update() if lock else query).first()
    if pending is None or pending.used_at is not None:
        return None
    if (now or utcnow()) - pending.requested_at > LINK_TOKEN_LIFETIME:
        return None
    return pending


def confirm_link(actor, user, link_token, now=None):
    """The logged-in user confirmed linking the LINE account of this request: a nonce for LINE's dialog.

    Confirming again (say, after going back from LINE's dialog) gives a new nonce; the earlier one stops
    working, so only the last confirmation can complete the link."""
    now = now or utcnow()
    pending = pending_request(link_token, now, lock=True)
    if pending is None:
        raise BusinessRuleError(NOT_OUR_LINK)
    pending.user_id, pending.nonce, pending.confirmed_at = user.id, secrets.token_urlsafe(32), now
    db.session.flush()
    audit.record(actor, "line.link_confirm", "user", user.id)
    return pending.nonce


def complete_link(nonce, line_user_id, now=None):
    """LINE's accountLink event: link only the login that confirmed, to the LINE user it confirmed."""
    now = now or utcnow()
    pending = db.session.scalars(select(LineLinkRequest).where(LineLinkRequest.nonce == nonce)
                                 .with_for_update()).first() if nonce else None
    if (pending is None or pending.used_at is not None or pending.user_id is None
            or pending.line_user_id != line_user_id or now - pending.confirmed_at > NONCE_LIFETIME):
        return False
    pending.used_at = now
    # One LINE account per login and one login per LINE account: a new link replaces an old one.
    db.session.execute(delete(LineAccount).where((LineAccount.user_id == pending.user_id)
                                                 | (LineAccount.line_user_id == line_user_id)))
    db.session.add(LineAccount(user_id=pending.user_id, line_user_id=line_user_id, linked_at=now))
    db.session.flush()
    audit.record(Actor.system("line"), "line.link", "user", pending.user_id)
    return True


def shown_line_name(pending):
    """How the confirmation page names the LINE account: its display name, else its id masked."""
    return pending.display_name or masked_line_id(pending.line_user_id)


def masked_line_id(line_user_id):
    """Enough of a LINE user id to tell two accounts apart, not the whole id (it addresses pushes)."""
    if len(line_user_id) <= 10:
        return "…" + line_user_id[-4:]
    return f"{line_user_id[:5]}…{line_user_id[-4:]}"


def unlink(actor, user):
    removed = db.session.execute(delete(LineAccount).where(LineAccount.user_id == user.id)).rowcount
    if removed:
        audit.record(actor, "line.unlink", "user", user.id)
    return bool(removed)


def account_of(user):
    return db.session.scalar(select(LineAccount).where(LineAccount.user_id == user.id))
