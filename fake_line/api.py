"""The Messaging API endpoints the app calls, answering as api.line.me does, bodies and headers included.

Every call is logged (for `GET /_fake/requests`), needs the channel's bearer token, and gets an
`x-line-request-id` header. Push bodies and reply bodies are checked against LINE's schema; a body LINE
would refuse is refused here with LINE's 400 shape and kept in the contract-error log.
"""
import time

from flask import Blueprint, current_app, g, jsonify, request

from fake_line import contract, ids, sending

bp = Blueprint("line_api", __name__, url_prefix="/v2/bot")

AUTH_FAILED = {"message": "Authentication failed. Confirm that the access token in the authorization header "
                          "is valid."}
MONTHLY_LIMIT = {"message": "You have reached your monthly limit."}
PLANNED_FAILURES = {
    "500": (500, {"message": "An error occurred in the server"}),
    "503": (503, {"message": "Service unavailable"}),
    "429": (429, MONTHLY_LIMIT),
    "429-rate": (429, {"message": "Too many requests"}),
    "401": (401, AUTH_FAILED),
    "400": (400, {"message": "The request body has 1 error(s)",
                  "details": [{"message": "Simulated failure", "property": "messages"}]}),
}
LOGGED_HEADERS = ("Content-Type", "X-Line-Retry-Key", "User-Agent")


def _fake():
    return current_app.extensions["fake_line"]


def answer(status, body, **headers):
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers)
    return response


@bp.before_request
def authenticate():
    g.request_id, g.contract_error = ids.request_id(), None
    g.authorized = request.headers.get("Authorization") == f"Bearer {_fake().channel_token}"
    if not g.authorized:
        return answer(401, AUTH_FAILED)
    return None


@bp.after_request
def log_request(response):
    response.headers["x-line-request-id"] = g.request_id
    headers = {name: request.headers[name] for name in LOGGED_HEADERS if name in request.headers}
    headers["Authorization"] = "Bearer …" if request.headers.get("Authorization") else None
    _fake().state.append("requests", {
        "method": request.method, "path": request.full_path.rstrip("?"), "headers": headers,
        "authorized": g.authorized,
        "body": request.get_json(silent=True), "status": response.status_code,
        "contractError": g.contract_error, "requestId": g.request_id})
    return response


def _checked_body(check, schema_name):
    """The JSON body, or a LINE-style 400 response when it is not what LINE accepts (and log why)."""
    body = request.get_json(silent=True)
    try:
        if not isinstance(body, dict):
            problem = contract.Problem("", "must be a JSON object sent as application/json")
            raise contract.ContractError(schema_name, [problem])
        check(body)
    except contract.ContractError as error:
        g.contract_error = error.as_dict()
        _fake().state.append("contract_errors", dict(error.as_dict(), path=request.path, body=body))
        details = [problem.as_dict() for problem in error.problems]
        summary = f"The request body has {len(details)} error(s)"
        return None, answer(400, {"message": summary, "details": details})
    return body, None


def _planned_failure():
    plan = _fake().state.next_failure()
    if plan is None:
        return None
    if plan["mode"] == "timeout":
        time.sleep(plan["seconds"])
        return answer(200, {})  # the caller has given up by now; nothing was accepted
    return answer(*PLANNED_FAILURES[plan["mode"]])


def _invalid_to(to):
    return answer(400, {"message": "The request body has 1 error(s)", "details": [
        {"message": f"must be a user, group or room ID (got {to!r})", "property": "to"}]})


@bp.post("/message/push")
def push():
    failure = _planned_failure()
    if failure is not None:
        return failure
    retry_key = request.headers.get("X-Line-Retry-Key")
    if retry_key is not None and not ids.is_uuid(retry_key):
        return answer(400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"})
    body, refusal = _checked_body(contract.check_push_request, "PushMessageRequest")
    if refusal is not None:
        return refusal
    if not ids.RECIPIENT_ID.match(body["to"]):
        return _invalid_to(body["to"])
    outcome, accepted = sending.accept_push(_fake().state, body["to"], body["messages"], retry_key,
                                            g.request_id, body.get("notificationDisabled", False))
    if outcome == "conflict":
        return answer(409, {"message": "The retry key is already accepted",
                            "sentMessages": accepted["sentMessages"]},
                      **{"x-line-accepted-request-id": accepted["requestId"]})
    if outcome == "limit":
        return answer(429, MONTHLY_LIMIT)
    return answer(200, {"sentMessages": accepted["sentMessages"]})


@bp.post("/message/reply")
def reply():
    body, refusal = _checked_body(contract.check_reply_request, "ReplyMessageRequest")
    if refusal is not None:
        return refusal
    accepted = sending.accept_reply(_fake().state, body["replyToken"], body["messages"], g.request_id)
    if accepted is None:
        return answer(400, {"message": "Invalid reply token"})
    return answer(200, {"sentMessages": accepted["sentMessages"]})


@bp.get("/message/quota")
def quota():
    limit = _fake().state.monthly_quota
    return answer(200, {"type": "none"} if limit is None else {"type": "limited", "value": limit})


@bp.get("/message/quota/consumption")
def consumption():
    return answer(200, {"totalUsage": _fake().state.usage})


@bp.post("/user/<user_id>/linkToken")
def link_token(user_id):
    user = _fake().state.user(user_id)
    if user is None or not user["following"]:
        return answer(400, {"message": "The user is not a friend of this LINE Official Account"})
    return answer(200, {"linkToken": _fake().state.issue_link_token(user_id)})


@bp.get("/profile/<user_id>")
def profile(user_id):
    user = _fake().state.user(user_id)
    if user is None or not user["following"]:
        return answer(404, {"message": "Not found"})
    return answer(200, {"userId": user["userId"], "displayName": user["displayName"],
                        "language": user["language"]})
