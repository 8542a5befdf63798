"""The Messaging API side of the fake: what the app's LINE client will meet, status codes and bodies exact."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from fake_line.api import AUTH_FAILED, MONTHLY_LIMIT
from tests.fake_line.conftest import TOKEN
from tests.fake_line.samples import changed, flex, letter_bubble


def key():
    return str(uuid.uuid4())


def test_push_is_accepted_answered_and_recorded(fake, friend):
    retry_key = key()
    text = {"type": "text", "text": "มีหนังสือใหม่ 1 ฉบับ"}
    response = fake.push(friend["userId"], [flex(), text], retry_key)
    assert response.status_code == 200
    sent = response.json()["sentMessages"]
    assert len(sent) == 2 and all(message["id"].isdigit() for message in sent)
    assert "quoteToken" not in sent[0] and sent[1]["quoteToken"]  # as on LINE: flex cannot be quoted
    request_id = response.headers["x-line-request-id"]
    [pushed] = fake.log("pushes")
    assert pushed["to"] == friend["userId"] and pushed["retryKey"] == retry_key
    assert pushed["requestId"] == request_id and pushed["messages"] == [flex(), text]
    assert pushed["delivered"] is True
    [logged] = [r for r in fake.log("requests") if r["path"] == "/v2/bot/message/push"]
    assert logged["headers"]["X-Line-Retry-Key"] == retry_key and logged["status"] == 200
    assert logged["body"]["to"] == friend["userId"] and logged["contractError"] is None
    assert fake.api("GET", "/v2/bot/message/quota/consumption").json() == {"totalUsage": 2}


@pytest.mark.parametrize("token", ["wrong-token", None])
def test_every_api_call_needs_the_channel_token(fake, friend, token):
    calls = [("POST", "/v2/bot/message/push", {"to": friend["userId"], "messages": [flex()]}),
             ("POST", "/v2/bot/message/reply", {"replyToken": friend["replyToken"], "messages": [flex()]}),
             ("GET", "/v2/bot/message/quota", None), ("GET", "/v2/bot/message/quota/consumption", None),
             ("POST", f"/v2/bot/user/{friend['userId']}/linkToken", None),
             ("GET", f"/v2/bot/profile/{friend['userId']}", None)]
    for method, path, body in calls:
        response = fake.api(method, path, token=token, json=body)
        assert (response.status_code, response.json()) == (401, AUTH_FAILED), path
    assert fake.log("pushes") == [] and fake.log("replies") == []
    assert [(r["status"], r["authorized"]) for r in fake.log("requests")] == [(401, False)] * len(calls)


def test_a_retry_key_already_accepted_is_a_conflict(fake, friend):
    retry_key = key()
    first = fake.push(friend["userId"], [flex()], retry_key)
    again = fake.push(friend["userId"], [flex()], retry_key)
    assert again.status_code == 409
    assert again.json() == {"message": "The retry key is already accepted",
                            "sentMessages": first.json()["sentMessages"]}
    assert again.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert len(fake.log("pushes")) == 1
    assert fake.api("GET", "/v2/bot/message/quota/consumption").json() == {"totalUsage": 1}


def test_simultaneous_pushes_with_one_retry_key_are_accepted_once(fake, friend):
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Line-Retry-Key": key()}

    def push_once(_):
        with requests.Session() as http:  # one session per thread
            http.trust_env = False
            return http.post(fake.url + "/v2/bot/message/push", headers=headers, timeout=10,
                             json={"to": friend["userId"], "messages": [flex()]}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(push_once, range(8)))
    assert sorted(statuses) == [200] + [409] * 7
    assert len(fake.log("pushes")) == 1


def test_a_retry_key_whose_request_failed_can_be_used_again(fake, friend):
    retry_key = key()
    fake.control("fail", {"mode": "500"})
    assert fake.push(friend["userId"], [flex()], retry_key).status_code == 500
    assert fake.push(friend["userId"], [flex()], retry_key).status_code == 200
    assert [p["retryKey"] for p in fake.log("pushes")] == [retry_key]


def test_a_malformed_retry_key_is_refused(fake, friend):
    response = fake.push(friend["userId"], [flex()], "not-a-uuid")
    assert response.status_code == 400
    assert response.json() == {"message": "The value for the 'X-Line-Retry-Key' header is invalid"}
    assert fake.log("pushes") == []


def test_the_monthly_limit_counts_messages(fake, friend):
    assert fake.api("GET", "/v2/bot/message/quota").json() == {"type": "limited", "value": 10}
    fake.control("quota", {"usage": 8})
    over = fake.push(friend["userId"], [flex()] * 3, key())
    assert (over.status_code, over.json()) == (429, MONTHLY_LIMIT)
    assert fake.push(friend["userId"], [flex()] * 2, key()).status_code == 200
    assert fake.api("GET", "/v2/bot/message/quota/consumption").json() == {"totalUsage": 10}
    limited = fake.push(friend["userId"], [flex()], key())
    assert limited.json() == {"message": "You have reached your monthly limit."}
    fake.control("quota", {"monthly_quota": None})
    assert fake.api("GET", "/v2/bot/message/quota").json() == {"type": "none"}
    assert fake.push(friend["userId"], [flex()], key()).status_code == 200


def test_a_body_line_would_refuse_is_refused_like_line_and_kept(fake, friend):
    bad = changed(flex(), ["contents", "footer", "contents", 0, "action", "uri"], delete=True)
    response = fake.push(friend["userId"], [bad], key())
    assert response.status_code == 400
    assert response.json() == {"message": "The request body has 1 error(s)", "details": [
        {"message": "must be specified", "property": "messages[0].contents.footer.contents[0].action.uri"}]}
    [kept] = fake.log("contract-errors")
    assert kept["schema"] == "PushMessageRequest" and kept["path"] == "/v2/bot/message/push"
    assert kept["body"]["messages"] == [bad]
    assert fake.log("requests")[-1]["contractError"]["problems"][0]["property"].endswith("action.uri")
    assert fake.log("pushes") == []


def test_a_push_to_something_that_is_not_a_line_id_is_refused(fake):
    response = fake.push("somchai@example.com", [flex()], key())
    assert response.status_code == 400 and response.json()["details"][0]["property"] == "to"


@pytest.mark.parametrize("mode, status, body", [
    ("500", 500, {"message": "An error occurred in the server"}),
    ("503", 503, {"message": "Service unavailable"}),
    ("429", 429, MONTHLY_LIMIT),
    ("429-rate", 429, {"message": "Too many requests"}),
    ("401", 401, AUTH_FAILED),
    ("400", 400, {"message": "The request body has 1 error(s)",
                  "details": [{"message": "Simulated failure", "property": "messages"}]}),
])
def test_each_failure_mode_fails_the_next_push_only(fake, friend, mode, status, body):
    fake.control("fail", {"mode": mode})
    failed = fake.push(friend["userId"], [flex()], key())
    assert (failed.status_code, failed.json()) == (status, body)
    assert fake.log("pushes") == []
    assert fake.push(friend["userId"], [flex()], key()).status_code == 200


def test_failures_can_last_several_calls_or_until_reset(fake, friend):
    fake.control("fail", {"mode": "503", "count": 2})
    fake.control("fail", {"mode": "500", "count": -1})
    statuses = [fake.push(friend["userId"], [flex()], key()).status_code for _ in range(5)]
    assert statuses == [503, 503, 500, 500, 500]
    fake.control("reset")
    assert fake.log("requests") == []
    assert fake.control("follow", {"userId": friend["userId"]})["userId"] == friend["userId"]
    assert fake.push(friend["userId"], [flex()], key()).status_code == 200


def test_timeout_answers_late_and_accepts_nothing(fake, friend):
    retry_key = key()
    fake.control("fail", {"mode": "timeout", "seconds": 1.5})
    with pytest.raises(requests.Timeout):
        fake.push(friend["userId"], [flex()], retry_key, timeout=0.3)
    assert fake.push(friend["userId"], [flex()], retry_key).status_code == 200
    fake.control("fail", {"mode": "timeout", "seconds": 0.2})
    late = fake.push(friend["userId"], [flex()], key())
    assert (late.status_code, late.json()) == (200, {})
    assert [p["retryKey"] for p in fake.log("pushes")] == [retry_key]


def test_control_refuses_unknown_failure_modes(fake):
    response = fake.http.post(fake.url + "/_fake/fail", json={"mode": "502"}, timeout=5)
    assert response.status_code == 400 and "mode must be one of" in response.json()["message"]


def test_reply_needs_an_unused_reply_token_from_a_webhook(fake, friend):
    reply = {"replyToken": friend["replyToken"], "messages": [flex(letter_bubble("ยินดีต้อนรับ"))]}
    response = fake.api("POST", "/v2/bot/message/reply", json=reply)
    assert response.status_code == 200 and len(response.json()["sentMessages"]) == 1
    [kept] = fake.log("replies")
    assert kept["to"] == friend["userId"] and kept["replyToken"] == friend["replyToken"]
    spent = fake.api("POST", "/v2/bot/message/reply", json=reply)
    assert (spent.status_code, spent.json()) == (400, {"message": "Invalid reply token"})
    made_up = fake.api("POST", "/v2/bot/message/reply", json=dict(reply, replyToken="0" * 32))
    assert made_up.status_code == 400
    assert fake.api("GET", "/v2/bot/message/quota/consumption").json() == {"totalUsage": 0}
    invalid = fake.api("POST", "/v2/bot/message/reply", json={"replyToken": "x", "messages": []})
    assert invalid.json()["details"] == [
        {"message": "must have at least 1 item(s) (has 0)", "property": "messages"}]


def test_profile_and_link_token_are_for_friends_only(fake, friend):
    profile = fake.api("GET", f"/v2/bot/profile/{friend['userId']}").json()
    assert profile == {"userId": friend["userId"], "displayName": "สมศรี ทดสอบ", "language": "th"}
    link = fake.api("POST", f"/v2/bot/user/{friend['userId']}/linkToken")
    assert link.status_code == 200 and len(link.json()["linkToken"]) >= 20
    stranger = "U" + "0" * 32
    assert fake.api("GET", f"/v2/bot/profile/{stranger}").json() == {"message": "Not found"}
    assert fake.api("POST", f"/v2/bot/user/{stranger}/linkToken").status_code == 400
