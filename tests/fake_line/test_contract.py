"""The contract follows LINE's OpenAPI discriminators all the way down, and accepts what LINE documents."""
import pytest
import yaml
from jsonschema import Draft202012Validator

from fake_line import contract, schemas
from tests.fake_line.samples import changed, event, flex, letter_bubble, push, webhook_body

FOOTER_BUTTON = ["messages", 0, "contents", "footer", "contents", 0]
FIRST_BODY_TEXT = ["messages", 0, "contents", "body", "contents", 0]


def problems(check, body):
    with pytest.raises(contract.ContractError) as caught:
        check(body)
    return [(problem.property, problem.message) for problem in caught.value.problems]


# What LINE documents must pass ---------------------------------------------------------------------------

def test_a_realistic_flex_bubble_passes():
    contract.check_push_request(push(flex(letter_bubble())))


def test_lines_documented_messages_pass():
    carousel = {"type": "carousel", "contents": [
        {"type": "bubble", "body": {"type": "box", "layout": "horizontal", "contents": [
            {"type": "text", "text": "Lorem ipsum dolor sit amet", "wrap": True}]},
         "footer": {"type": "box", "layout": "horizontal", "contents": [
             {"type": "button", "style": "primary", "action": {"type": "uri", "label": "Go",
                                                               "uri": "https://example.com"}}]}},
        {"type": "bubble", "body": {"type": "box", "layout": "horizontal", "contents": [
            {"type": "text", "text": "Hello, World!", "wrap": True}]}}]}
    contract.check_push_request(push({"type": "text", "text": "Hello, world"},
                                     {"type": "sticker", "packageId": "446", "stickerId": "1988"},
                                     flex(carousel, "This is a carousel")))
    contract.check_reply_request({"replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
                                  "messages": [{"type": "text", "text": "Hello, user"}]})


def test_text_built_from_spans_needs_no_text():
    spans = {"type": "text", "contents": [{"type": "span", "text": "ด่วน ", "color": "#FF0000"},
                                          {"type": "span", "text": "ขอเชิญประชุม"}]}
    contract.check_push_request(changed(push(), FIRST_BODY_TEXT, spans))


def test_lines_documented_webhook_events_pass():
    contract.check_webhook_body(webhook_body(
        event("follow", replyToken="85cbe770fa8b4f45bbe077b1d4be4a36", follow={"isUnblocked": False}),
        event("unfollow"),
        event("accountLink", replyToken="b60d432864f44d079f6d8efe86cf404b",
              link={"result": "ok", "nonce": "xxxxxxxxxxxxxxx"}),
        event("accountLink", link={"result": "failed", "nonce": "xxxxxxxxxxxxxxx"}),
        event("message", replyToken="0f3779fba3b349968c5d07db31eab56f",
              message={"id": "444573844083572737", "type": "text", "quoteToken": "q3Plxr4AgKd",
                       "text": "สวัสดี"})))
    contract.check_webhook_body(webhook_body())  # LINE's "verify" call has no events


# What LINE refuses must be refused, with the path to the fault ----------------------------------------------

@pytest.mark.parametrize("body, expected", [
    (changed(push(), FIRST_BODY_TEXT + ["text"], delete=True),
     ("messages[0].contents.body.contents[0].text", "must be specified")),
    (changed(push(), FOOTER_BUTTON + ["action", "uri"], delete=True),
     ("messages[0].contents.footer.contents[0].action.uri", "must be specified")),
    (changed(push(), FOOTER_BUTTON + ["action"], delete=True),
     ("messages[0].contents.footer.contents[0].action", "must be specified")),
    (changed(push(), FOOTER_BUTTON + ["action", "uri"], "javascript:alert(1)"),
     ("messages[0].contents.footer.contents[0].action.uri", "must match ^(https?|line|tel): "
                                                            "(got 'javascript:alert(1)')")),
    (changed(push(), FOOTER_BUTTON + ["action", "type"], "teleport"),
     ("messages[0].contents.footer.contents[0].action.type",
      "must be one of: camera, cameraRoll, clipboard, datetimepicker, location, message, postback, "
      "richmenuswitch, uri (got 'teleport')")),
    (changed(push(), FIRST_BODY_TEXT, {"type": "marquee", "text": "x"}),
     ("messages[0].contents.body.contents[0].type",
      "must be one of: box, button, filler, icon, image, separator, span, text, video (got 'marquee')")),
    (changed(push(), ["messages", 0, "contents", "body", "layout"], "diagonal"),
     ("messages[0].contents.body.layout", "must be one of: horizontal, vertical, baseline (got 'diagonal')")),
    (changed(push(), ["messages", 0, "contents", "body", "contents", 1, "wrap"], "yes"),
     ("messages[0].contents.body.contents[1].wrap", "must be of type boolean")),
    (changed(push(), ["messages", 0, "contents", "type"], "poster"),
     ("messages[0].contents.type", "must be one of: bubble, carousel (got 'poster')")),
    (push(flex({"type": "carousel", "contents": [{"type": "carousel", "contents": []}]})),
     ("messages[0].contents.contents[0].type", "must be one of: bubble (got 'carousel')")),
    (changed(push(), ["messages", 0, "altText"], delete=True), ("messages[0].altText", "must be specified")),
    (push(*[{"type": "text", "text": "ทดสอบ"}] * 6), ("messages", "must have at most 5 items (has 6)")),
    (push({"type": "text", "text": ""}), ("messages[0].text", "must be at least 1 character(s)")),
    (push({"type": "fax", "text": "x"}),
     ("messages[0].type", "must be one of: audio, coupon, flex, image, imagemap, location, sticker, "
                          "template, text, textV2, video (got 'fax')")),
    ({"messages": [flex()]}, ("to", "must be specified")),
])
def test_push_bodies_line_refuses_are_refused(body, expected):
    assert expected in problems(contract.check_push_request, body)


@pytest.mark.parametrize("body, expected", [
    (webhook_body(event("accountLink", replyToken="r")), ("events[0].link", "must be specified")),
    (webhook_body(event("accountLink", link={"result": "maybe", "nonce": "n"})),
     ("events[0].link.result", "must be one of: ok, failed (got 'maybe')")),
    (webhook_body(event("follow", replyToken="r")), ("events[0].follow", "must be specified")),
    (webhook_body(event("follow", follow={"isUnblocked": False})),
     ("events[0].replyToken", "must be specified")),
    (webhook_body(event("unfollow", source={"type": "user", "userId": 42})),
     ("events[0].source.userId", "must be of type string")),
    (webhook_body(event("unfollow", source={"type": "planet"})),
     ("events[0].source.type", "must be one of: group, room, user (got 'planet')")),
    (webhook_body(event("unfollow", webhookEventId=None)),
     ("events[0].webhookEventId", "must be of type string")),
    ({"destination": "bot", "events": []}, ("destination", "must match ^U[0-9a-f]{32}$ (got 'bot')")),
])
def test_webhook_bodies_line_would_not_send_are_refused(body, expected):
    assert expected in problems(contract.check_webhook_body, body)


def test_every_problem_is_reported_and_the_error_reads_well():
    body = changed(push(), FIRST_BODY_TEXT + ["text"], delete=True)
    body = changed(body, FOOTER_BUTTON + ["action", "uri"], delete=True)
    with pytest.raises(contract.ContractError) as caught:
        contract.check_push_request(body)
    assert len(caught.value.problems) == 2
    assert str(caught.value) == ("PushMessageRequest: messages[0].contents.body.contents[0].text: must be "
                                 "specified (and 1 more)")


def test_plain_json_schema_of_the_base_type_would_not_have_caught_it():
    """Why the discriminators are expanded: validating `Message` as written ignores the subtype's fields."""
    with open(schemas.OPENAPI_DIR / "messaging-api.yml", encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["components"]["schemas"]
    bad = changed(push(), FIRST_BODY_TEXT, {"type": "marquee"})
    naive = Draft202012Validator({"$ref": "#/components/schemas/PushMessageRequest",
                                  "components": {"schemas": raw}})
    assert naive.is_valid(bad)
    with pytest.raises(contract.ContractError):
        contract.check_push_request(bad)


def test_a_single_message_can_be_checked_before_it_goes_into_a_request():
    contract.check_message(flex())
    expected = r"contents\.header\.contents\[0\]\.text: must be specified"
    with pytest.raises(contract.ContractError, match=expected):
        contract.check_message(changed(flex(), ["contents", "header", "contents", 0, "text"], delete=True))
