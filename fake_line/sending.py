"""Accepting push and reply messages: retry keys, the monthly limit and the sent-message IDs.

Each acceptance is one step under the state's lock, so two pushes with the same retry key arriving
together cannot both be accepted, and two pushes near the limit cannot both slip under it.
"""
from fake_line import ids

# LINE returns a quote token only for messages that can be quoted later.
QUOTABLE_TYPES = {"text", "textV2", "sticker", "image", "video"}


def _sent_messages(messages):
    sent = []
    for message in messages:
        entry = {"id": ids.message_id()}
        if message.get("type") in QUOTABLE_TYPES:
            entry["quoteToken"] = ids.quote_token()
        sent.append(entry)
    return sent


def accept_push(state, to, messages, retry_key, request_id, notification_disabled=False):
    """("ok", accepted) | ("conflict", the earlier acceptance) | ("limit", None).

    Usage counts messages times recipients: a push has one recipient.
    """
    with state.lock:
        if retry_key and retry_key in state.retry_keys:
            return "conflict", dict(state.retry_keys[retry_key])
        if state.monthly_quota is not None and state.usage + len(messages) > state.monthly_quota:
            return "limit", None
        accepted = {"requestId": request_id, "sentMessages": _sent_messages(messages)}
        state.usage += len(messages)
        if retry_key:
            state.retry_keys[retry_key] = accepted
        user = state.users.get(to)
        state.append("pushes", {"to": to, "messages": messages, "retryKey": retry_key,
                                "requestId": request_id, "sentMessages": accepted["sentMessages"],
                                "notificationDisabled": notification_disabled,
                                "delivered": bool(user and user["following"])})
        return "ok", accepted


def accept_reply(state, reply_token, messages, request_id):
    """The accepted reply, or None when the token was not issued by this platform or is spent.

    Replies do not count towards the monthly limit, as on LINE.
    """
    with state.lock:
        user_id = state.take_reply_token(reply_token)
        if user_id is None:
            return None
        accepted = {"requestId": request_id, "sentMessages": _sent_messages(messages)}
        state.append("replies", {"to": user_id, "replyToken": reply_token, "messages": messages,
                                 "requestId": request_id, "sentMessages": accepted["sentMessages"]})
        return accepted
