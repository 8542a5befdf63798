"""`GET /`: the demo's stand-in for the LINE app, "LINE จำลอง", showing each LINE user's chat with the bot.

A demo user adds the official account as a friend here, sees the cards e-Saraban pushed or replied
(newest first) and follows their links, for example the one that starts linking accounts.
"""
from flask import Blueprint, current_app, redirect, render_template, request, url_for

from fake_line import render

bp = Blueprint("demo", __name__)

UNKNOWN_USER = "(ไม่รู้จัก · unknown user)"


def _fake():
    return current_app.extensions["fake_line"]


def _cards_by_user(state):
    """{userId: [card, ...]} from accepted pushes and replies, newest first."""
    sent = [("push", record) for record in state.snapshot("pushes")]
    sent += [("reply", record) for record in state.snapshot("replies")]
    by_user = {}
    for how, record in sorted(sent, key=lambda item: item[1]["at"], reverse=True):
        for message in reversed(record["messages"]):
            card = dict(render.message_card(message), how=how, at=record["at"])
            by_user.setdefault(record["to"], []).append(card)
    return by_user


def chats(state):
    """Each known user (and each unknown recipient) with their cards; the most recently active first."""
    by_user = _cards_by_user(state)
    people = {user["userId"]: user for user in state.all_users()}
    for user_id in by_user.keys() - people.keys():
        people[user_id] = {"userId": user_id, "displayName": UNKNOWN_USER, "following": False,
                           "linkedNonce": None}
    listed = [dict(user, cards=by_user.get(user_id, [])) for user_id, user in people.items()]
    order = list(people)
    return sorted(listed, key=lambda chat: (chat["cards"][0]["at"] if chat["cards"] else "",
                                            order.index(chat["userId"])), reverse=True)


@bp.get("/")
def index():
    fake = _fake()
    return render_template("index.html", chats=chats(fake.state), fake=fake,
                           followed=fake.state.user(request.args.get("followed", "")))


@bp.post("/demo/follow")
def follow():
    """The demo user adds the official account as a friend (LINE sends the app a `follow` event)."""
    display_name = request.form.get("displayName", "").strip()[:40] or None
    result = _fake().follow(display_name=display_name)
    return redirect(url_for("demo.index", followed=result["userId"]))
