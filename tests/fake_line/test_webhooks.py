"""Webhooks the app will receive: following, blocking and account linking, signed with the channel secret."""
import base64
import hashlib
import hmac
import json
import re
from urllib.parse import urlencode

from fake_line import contract
from tests.fake_line.conftest import APP_URL, SECRET


def verified_bodies(receiver):
    """Each received body, after checking its signature the way the app must, and LINE's schema."""
    bodies = []
    for hit in receiver.received:
        expected = base64.b64encode(hmac.new(SECRET.encode(), hit["raw"], hashlib.sha256).digest()).decode()
        assert hmac.compare_digest(hit["headers"]["X-Line-Signature"], expected)
        assert hit["headers"]["Content-Type"].startswith("application/json")
        body = json.loads(hit["raw"].decode("utf-8"))
        contract.check_webhook_body(body)
        bodies.append(body)
    return bodies


def only_event(receiver, fake):
    [body] = verified_bodies(receiver)
    assert body["destination"] == fake.platform.bot_user_id
    [event] = body["events"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", event["webhookEventId"])
    assert event["mode"] == "active" and isinstance(event["timestamp"], int)
    return event


def test_following_sends_a_follow_event_with_a_reply_token(fake, receiver):
    friend = fake.control("follow", {"displayName": "สมศรี"})
    event = only_event(receiver, fake)
    assert event["type"] == "follow" and event["source"] == {"type": "user", "userId": friend["userId"]}
    assert event["replyToken"] == friend["replyToken"] and event["follow"] == {"isUnblocked": False}
    assert event["deliveryContext"] == {"isRedelivery": False}
    assert friend["webhook"] == {"status": 200, "error": None}


def test_blocking_sends_unfollow_and_unblocking_says_so(fake, receiver):
    friend = fake.control("follow")
    fake.control("unfollow", {"userId": friend["userId"]})
    fake.control("follow", {"userId": friend["userId"]})
    follow, unfollow, follow_again = [body["events"][0] for body in verified_bodies(receiver)]
    assert unfollow["type"] == "unfollow" and "replyToken" not in unfollow
    assert unfollow["source"]["userId"] == friend["userId"]
    assert (follow["follow"], follow_again["follow"]) == ({"isUnblocked": False}, {"isUnblocked": True})
    assert fake.http.post(fake.url + "/_fake/unfollow", json={"userId": "U" + "1" * 32}).status_code == 404
    assert fake.http.post(fake.url + "/_fake/follow", json={"userId": "somchai"}).status_code == 400


def dialog_url(fake, link_token, nonce, **extra):
    return f"{fake.url}/dialog/bot/accountLink?" + urlencode(dict(linkToken=link_token, nonce=nonce, **extra))


def test_account_link_dialog_confirms_and_sends_a_signed_account_link_event(fake, receiver, friend):
    link_token = fake.api("POST", f"/v2/bot/user/{friend['userId']}/linkToken").json()["linkToken"]
    receiver.received.clear()
    page = fake.http.get(dialog_url(fake, link_token, "nonce-123"))
    assert page.status_code == 200
    assert "เชื่อมบัญชี LINE นี้กับ e-Saraban" in page.text
    assert "Link this LINE account to e-Saraban?" in page.text
    assert "สมศรี ทดสอบ" in page.text and receiver.received == []  # nothing happens before the user confirms
    confirm = {"linkToken": link_token, "nonce": "nonce-123"}
    done = fake.http.post(f"{fake.url}/dialog/bot/accountLink", data=confirm)
    assert done.status_code == 200 and 'data-result="ok"' in done.text and f'href="{APP_URL}"' in done.text
    event = only_event(receiver, fake)
    assert event["type"] == "accountLink" and event["link"] == {"result": "ok", "nonce": "nonce-123"}
    assert event["source"] == {"type": "user", "userId": friend["userId"]}
    assert event["deliveryContext"] == {"isRedelivery": False} and len(event["replyToken"]) == 32
    linked = {"type": "text", "text": "เชื่อมแล้ว"}
    reply = fake.api("POST", "/v2/bot/message/reply",
                     json={"replyToken": event["replyToken"], "messages": [linked]})
    assert reply.status_code == 200


def test_a_used_link_token_fails_and_says_so(fake, receiver, friend):
    link_token = fake.api("POST", f"/v2/bot/user/{friend['userId']}/linkToken").json()["linkToken"]
    receiver.received.clear()
    assert fake.http.get(dialog_url(fake, link_token, "n1", auto=1)).status_code == 200
    again = fake.http.get(dialog_url(fake, link_token, "n2"))
    assert again.status_code == 400 and 'data-result="failed"' in again.text
    ok, failed = [body["events"][0] for body in verified_bodies(receiver)]
    assert ok["link"] == {"result": "ok", "nonce": "n1"}
    assert failed["link"] == {"result": "failed", "nonce": "n2"} and "replyToken" not in failed
    assert failed["source"]["userId"] == friend["userId"]


def test_an_unknown_link_token_fails_without_a_user(fake, receiver):
    page = fake.http.get(dialog_url(fake, "never-issued", "n3", auto=1))
    assert page.status_code == 400
    event = only_event(receiver, fake)
    assert event["link"] == {"result": "failed", "nonce": "n3"} and "source" not in event
    assert fake.http.get(f"{fake.url}/dialog/bot/accountLink?linkToken=x").status_code == 400  # no nonce
    assert len(receiver.received) == 1


def test_tests_can_send_any_event_signed_and_redelivered(fake, receiver, friend):
    receiver.received.clear()
    given = {"type": "message", "source": {"type": "user", "userId": friend["userId"]},
             "message": {"id": "1", "type": "text", "quoteToken": "q", "text": "สวัสดี <b>"}}
    delivery = fake.control("webhook", {"events": [given], "redeliver": True})
    assert delivery["status"] == 200
    event = only_event(receiver, fake)
    assert event["deliveryContext"] == {"isRedelivery": True} and event["message"]["text"] == "สวัสดี <b>"
    assert "สวัสดี <b>".encode() in receiver.received[0]["raw"]  # UTF-8 as LINE sends it, not \u escapes
    reply = {"replyToken": event["replyToken"], "messages": [{"type": "text", "text": "รับทราบ"}]}
    assert fake.api("POST", "/v2/bot/message/reply", json=reply).status_code == 200


def test_events_line_could_not_send_are_not_sent(fake, receiver):
    response = fake.http.post(fake.url + "/_fake/webhook", json={"events": [{"type": "accountLink"}]})
    assert response.status_code == 400
    assert response.json()["contractError"]["problems"] == [
        {"message": "must be specified", "property": "events[0].link"}]
    assert receiver.received == []


def test_a_webhook_the_app_refuses_is_recorded(fake, receiver):
    fake.platform.webhook_url = receiver.url.replace("/callback", "/missing")
    friend = fake.control("follow")
    assert friend["webhook"]["status"] == 404
    [delivery] = fake.log("webhooks")
    assert delivery["status"] == 404 and delivery["body"]["events"][0]["type"] == "follow"
