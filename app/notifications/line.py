"""The LINE Messaging API as this app uses it: push, link token, reply, quota. Plain `requests`.

`push` never raises for what LINE answers: it returns an Outcome the sender acts on (sent, retry later,
stop until next month, bad token, refused), so the rules for each answer live in one place.
"""
from dataclasses import dataclass
from enum import StrEnum

import requests
from flask import current_app


class Result(StrEnum):
    SENT = "sent"                    # 200, or 409: LINE accepted this retry key before
    RETRY = "retry"                  # 5xx, a timeout, a dropped connection, or a rate limit (429)
    MONTHLY_LIMIT = "monthly_limit"  # 429 "You have reached your monthly limit."
    BAD_TOKEN = "bad_token"          # 401: the channel access token is wrong or revoked
    REFUSED = "refused"              # any other 4xx: sending it again would not help


@dataclass(frozen=True)
class Outcome:
    result: Result
    detail: str = ""


class LineError(Exception):
    """A call other than push failed (link token, reply, quota)."""


def push(to, messages, retry_key):
    try:
        response = _session().post(_url("/v2/bot/message/push"), json={"to": to, "messages": messages},
                                   headers={**_auth(), "X-Line-Retry-Key": retry_key}, timeout=_timeout())
    except requests.RequestException as error:
        return Outcome(Result.RETRY, f"{type(error).__name__}: {error}"[:500])
    return _classify(response)


def _classify(response):
    status, detail = response.status_code, f"{response.status_code} {_message(response)}".strip()
    if status == 200 or status == 409:
        return Outcome(Result.SENT, detail if status == 409 else "")
    if status == 429:
        monthly = "monthly limit" in _message(response).lower()
        return Outcome(Result.MONTHLY_LIMIT if monthly else Result.RETRY, detail)
    if status == 401:
        return Outcome(Result.BAD_TOKEN, detail)
    if status >= 500:
        return Outcome(Result.RETRY, detail)
    return Outcome(Result.REFUSED, detail)


def issue_link_token(line_user_id):
    return _call("post", f"/v2/bot/user/{line_user_id}/linkToken")["linkToken"]


def display_name(line_user_id):
    """The LINE user's display name from their profile, or "" when LINE does not give it."""
    try:
        return str(_call("get", f"/v2/bot/profile/{line_user_id}").get("displayName", ""))
    except LineError:
        return ""


def reply(reply_token, messages):
    _call("post", "/v2/bot/message/reply", json={"replyToken": reply_token, "messages": messages})


def quota():
    """(monthly limit or None when unlimited, messages used this month)."""
    limit = _call("get", "/v2/bot/message/quota")
    usage = _call("get", "/v2/bot/message/quota/consumption")
    return (limit.get("value") if limit.get("type") == "limited" else None), usage.get("totalUsage", 0)


def token_works():
    try:
        _call("get", "/v2/bot/message/quota")
    except LineError:
        return False
    return True


def account_link_url(link_token, nonce):
    base = current_app.config["LINE_ACCESS_BASE"]
    return f"{base}/dialog/bot/accountLink?" + requests.compat.urlencode({"linkToken": link_token,
                                                                          "nonce": nonce})


def _call(method, path, **kwargs):
    try:
        response = getattr(_session(), method)(_url(path), headers=_auth(), timeout=_timeout(), **kwargs)
    except requests.RequestException as error:
        raise LineError(f"{type(error).__name__}: {error}") from None
    if response.status_code != 200:
        raise LineError(f"{response.status_code} {_message(response)}")
    return response.json() if response.content else {}


def _message(response):
    try:
        return str(response.json().get("message", ""))[:300]
    except ValueError:
        return response.text[:300]


def _url(path):
    return current_app.config["LINE_API_BASE"] + path


def _auth():
    return {"Authorization": f"Bearer {current_app.config['LINE_CHANNEL_ACCESS_TOKEN']}"}


def _timeout():
    return current_app.config["LINE_TIMEOUT_SECONDS"]


def _session():
    session = current_app.extensions.get("line_http")
    if session is None:
        session = current_app.extensions["line_http"] = requests.Session()
    return session


def is_configured():
    return bool(current_app.config["LINE_CHANNEL_ACCESS_TOKEN"])
