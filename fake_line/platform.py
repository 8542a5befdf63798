"""The fake LINE platform: a channel's settings, its state, and what LINE users do that the app hears of.

Following the bot, blocking it and linking accounts each end in a signed webhook to the app; the control
endpoints, the demo page and the account-link dialog all go through here so they behave the same.
"""
from dataclasses import dataclass, field

from fake_line import contract, ids, webhook
from fake_line.state import PlatformState


@dataclass
class FakeLine:
    channel_token: str
    channel_secret: str
    webhook_url: str | None = None
    app_url: str | None = None
    monthly_quota: int | None = 1000
    state: PlatformState = field(init=False)
    bot_user_id: str = field(init=False)

    def __post_init__(self):
        self.state = PlatformState(self.monthly_quota)
        self.bot_user_id = ids.bot_user_id(self.channel_secret)

    def send_events(self, events):
        """Sign and POST one webhook body with these events; the delivery record (status, error, body).

        Raises contract.ContractError, sending nothing, if LINE could not have sent these events.
        """
        body, raw = webhook.body_bytes(self.bot_user_id, events)
        outcome = webhook.post(self.webhook_url, self.channel_secret, raw)
        delivery = dict(outcome, url=self.webhook_url, body=body)
        self.state.append("webhooks", delivery)
        return delivery

    def follow(self, user_id=None, display_name=None):
        """A LINE user adds the bot as a friend: a `follow` event with a reply token the app may use."""
        user, was_blocked = self.state.follow(user_id, display_name)
        reply_token = self.state.issue_reply_token(user["userId"])
        delivery = self.send_events([webhook.event("follow", user["userId"], replyToken=reply_token,
                                                   follow={"isUnblocked": was_blocked})])
        return {"userId": user["userId"], "displayName": user["displayName"], "replyToken": reply_token,
                "webhook": _summary(delivery)}

    def unfollow(self, user_id):
        """The user blocks the bot: an `unfollow` event (no reply token). None for an unknown user."""
        if self.state.unfollow(user_id) is None:
            return None
        delivery = self.send_events([webhook.event("unfollow", user_id)])
        return {"userId": user_id, "webhook": _summary(delivery)}

    def link_account(self, link_token, nonce):
        """The user confirms linking in the dialog: an `accountLink` event, "ok" or "failed".

        A failed event has no reply token, as on LINE, and no source when the token was never issued
        (the fake cannot know who opened the link then).
        """
        status, user_id = self.state.link_token_status(link_token, use=True)
        result = "ok" if status == "ok" else "failed"
        fields = {"link": {"result": result, "nonce": nonce}}
        if result == "ok":
            fields["replyToken"] = self.state.issue_reply_token(user_id)
            self.state.mark_linked(user_id, nonce)
        delivery = self.send_events([webhook.event("accountLink", user_id, **fields)])
        return {"status": status, "result": result, "userId": user_id, "webhook": _summary(delivery)}

    def send_given_events(self, events, redelivery=False):
        """Events written by a test: common fields filled in, reply tokens registered so replies work."""
        completed = [webhook.complete(given, redelivery) for given in events]
        for built in completed:
            if built["type"] in webhook.REPLYABLE_TYPES:
                built.setdefault("replyToken", ids.reply_token())
        contract.check_webhook_body({"destination": self.bot_user_id, "events": completed})
        for built in completed:
            if "replyToken" in built:
                self.state.issue_reply_token(built.get("source", {}).get("userId"), built["replyToken"])
        return self.send_events(completed)


def _summary(delivery):
    return {"status": delivery["status"], "error": delivery["error"]}
