"""The account-link dialog of access.line.me, where the app sends a user to link their LINE account.

The app redirects to `/dialog/bot/accountLink?linkToken=...&nonce=...`. The user confirms (or the test adds
`auto=1`), and LINE tells the app through an `accountLink` webhook event carrying the nonce: "ok" for a
valid, unused link token, "failed" otherwise.
"""
from flask import Blueprint, current_app, render_template, request

bp = Blueprint("account_link", __name__)


def _fake():
    return current_app.extensions["fake_line"]


def _page(outcome, status=200, **context):
    return render_template("dialog.html", outcome=outcome, app_url=_fake().app_url, **context), status


def _finish(link_token, nonce):
    """Send the event and show its outcome."""
    result = _fake().link_account(link_token, nonce)
    user = _fake().state.user(result["userId"]) if result["userId"] else None
    if result["result"] == "ok":
        return _page("linked", user=user, result=result)
    return _page("failed", 400, user=user, result=result)


@bp.route("/dialog/bot/accountLink", methods=["GET", "POST"])
def account_link():
    link_token, nonce = request.values.get("linkToken", ""), request.values.get("nonce", "")
    if not link_token or not nonce:
        return _page("bad-request", 400)
    if request.method == "POST" or request.args.get("auto") == "1":
        return _finish(link_token, nonce)
    status, user_id = _fake().state.link_token_status(link_token)
    if status != "ok":
        return _finish(link_token, nonce)
    return _page("confirm", user=_fake().state.user(user_id), link_token=link_token, nonce=nonce)
