"""Webhook events as the LINE platform sends them: shaped by LINE's schema, signed with the channel secret.

The app must verify `X-Line-Signature` (base64 of HMAC-SHA256 over the exact body bytes, keyed with the
channel secret) before trusting an event, so the fake signs exactly the bytes it sends. Every body is
checked against webhook.yml's `CallbackRequest` first, so the app is never tested against events LINE
could not send.
"""
import base64
import hashlib
import hmac
import json

import requests

from fake_line import contract, ids

TIMEOUT_SECONDS = 10
USER_AGENT = "LineBotWebhook/2.0"
# Events LINE sends with a reply token, so a test need not invent one.
REPLYABLE_TYPES = {"message", "follow", "join", "memberJoined", "postback", "beacon", "membership",
                   "videoPlayComplete"}


def signature(channel_secret, raw_body):
    digest = hmac.new(channel_secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def event(kind, user_id=None, redelivery=False, **fields):
    """One event with the fields every event carries; `fields` adds the kind's own (replyToken, link...)."""
    built = {"type": kind, "mode": "active", "timestamp": ids.now_ms(), "webhookEventId": ids.ulid(),
             "deliveryContext": {"isRedelivery": redelivery}}
    if user_id:
        built["source"] = {"type": "user", "userId": user_id}
    built.update(fields)
    return built


def complete(given, redelivery=False):
    """An event given by a test, with the common fields it left out filled in."""
    built = event(given.get("type", ""), redelivery=redelivery)
    built.update(given)
    return built


def body_bytes(destination, events):
    body = {"destination": destination, "events": events}
    contract.check_webhook_body(body)
    return body, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post(url, channel_secret, raw_body):
    """POST the signed body; the delivery's status, or the error that stopped it. Never through a proxy."""
    if not url:
        return {"status": None, "error": "no webhook URL configured"}
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Line-Signature": signature(channel_secret, raw_body)}
    with requests.Session() as session:
        session.trust_env = False
        try:
            response = session.post(url, data=raw_body, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            return {"status": None, "error": f"{type(error).__name__}: {error}"}
    return {"status": response.status_code, "error": None if response.ok else response.text[:500]}
