"""`/_fake/...`: how tests and the demo drive the fake and read what it received. Not part of LINE's API.

No authentication: the fake listens on the loopback interface for tests and the demo only.
"""
from flask import Blueprint, current_app, jsonify, request

from fake_line import contract, ids

bp = Blueprint("fake_control", __name__, url_prefix="/_fake")

FAILURE_MODES = ("500", "503", "timeout", "429", "429-rate", "401", "400", "off")
LOG_ROUTES = {"requests": "requests", "pushes": "pushes", "replies": "replies",
              "contract-errors": "contract_errors", "webhooks": "webhooks"}


def _fake():
    return current_app.extensions["fake_line"]


def _body():
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


def _bad(message, status=400):
    return jsonify({"message": message}), status


@bp.post("/follow")
def follow():
    body = _body()
    user_id, display_name = body.get("userId"), body.get("displayName")
    if user_id is not None and not (isinstance(user_id, str) and ids.USER_ID.match(user_id)):
        return _bad("userId must be U and 32 lowercase hex digits, like LINE's")
    if display_name is not None and not isinstance(display_name, str):
        return _bad("displayName must be a string")
    return jsonify(_fake().follow(user_id, display_name))


@bp.post("/unfollow")
def unfollow():
    result = _fake().unfollow(_body().get("userId"))
    return jsonify(result) if result else _bad("unknown userId", 404)


@bp.post("/webhook")
def send_webhook():
    body = _body()
    events = body.get("events")
    if not isinstance(events, list) or not all(isinstance(event, dict) for event in events):
        return _bad('"events" must be a list of event objects')
    try:
        delivery = _fake().send_given_events(events, redelivery=bool(body.get("redeliver")))
    except contract.ContractError as error:
        return jsonify({"message": str(error), "contractError": error.as_dict()}), 400
    return jsonify(delivery)


@bp.post("/fail")
def fail():
    body = _body()
    mode, count, seconds = str(body.get("mode")), body.get("count", 1), body.get("seconds", 5)
    if mode not in FAILURE_MODES:
        return _bad(f"mode must be one of {', '.join(FAILURE_MODES)}")
    if not isinstance(count, int) or isinstance(count, bool) or (count < 1 and count != -1):
        return _bad("count must be a positive number, or -1 for every call until reset")
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds <= 600:
        return _bad("seconds must be between 0 and 600")
    _fake().state.plan_failure(mode, count, seconds)
    return jsonify({"failures": _fake().state.snapshot("failures")})


def _count(value, allow_none=False):
    return (value is None and allow_none) or (isinstance(value, int) and not isinstance(value, bool)
                                              and value >= 0)


@bp.post("/quota")
def quota():
    """Set the monthly limit (null: no limit) and this month's usage so far."""
    body, state = _body(), _fake().state
    if not _count(body.get("monthly_quota"), allow_none=True) or not _count(body.get("usage", 0)):
        return _bad("monthly_quota must be a count or null, usage a count")
    with state.lock:
        if "monthly_quota" in body:
            state.monthly_quota = body["monthly_quota"]
        if "usage" in body:
            state.usage = body["usage"]
        return jsonify({"monthly_quota": state.monthly_quota, "usage": state.usage})


@bp.post("/reset")
def reset():
    _fake().state.reset()
    return jsonify({"reset": True})


@bp.get("/users")
def users():
    return jsonify(_fake().state.all_users())


@bp.get("/<log>")
def read_log(log):
    if log not in LOG_ROUTES:
        return _bad("unknown log", 404)
    return jsonify(_fake().state.snapshot(LOG_ROUTES[log]))
