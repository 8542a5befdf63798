"""Identifiers shaped like LINE's, so the app's parsing and storage meet realistic values.

User IDs are `U` and 32 hex digits (the webhook schema checks `destination` against exactly that), message
IDs are long decimal strings, webhook event IDs are ULIDs, and link, reply and quote tokens are opaque.
"""
import hashlib
import re
import secrets
import time
import uuid
from datetime import datetime, timezone

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
USER_ID = re.compile(r"^U[0-9a-f]{32}$")
RECIPIENT_ID = re.compile(r"^[UCR][0-9a-f]{32}$")  # a user, group (C...) or room (R...)


def user_id():
    return "U" + secrets.token_hex(16)


def bot_user_id(channel_secret):
    """The bot's own user ID, stable for a channel so the app can check a webhook's `destination`."""
    return "U" + hashlib.sha256(f"fake-line-bot:{channel_secret}".encode()).hexdigest()[:32]


def message_id():
    return str(10**17 + secrets.randbelow(9 * 10**17))


def ulid():
    """26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def reply_token():
    return secrets.token_hex(16)


def link_token():
    return secrets.token_urlsafe(24)


def quote_token():
    return secrets.token_urlsafe(48)


def request_id():
    return str(uuid.uuid4())


def is_uuid(text):
    """X-Line-Retry-Key must be a UUID in its hexadecimal string form."""
    try:
        return str(uuid.UUID(text)) == text.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def now_ms():
    return int(time.time() * 1000)


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
