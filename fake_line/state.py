"""What the fake LINE platform knows and has seen, kept in memory and safe to share between threads.

The server answers requests on several threads (the app may call the reply API while the fake is still
waiting for the app's answer to a webhook), so every read and change goes through one lock, and readers get
copies. Nothing is persisted: a restart or `POST /_fake/reset` starts from an empty platform.
"""
import copy
import threading
import time

from fake_line import ids

LINK_TOKEN_SECONDS = 600  # LINE's link tokens are valid for 10 minutes and usable once.
LOGS = ("requests", "pushes", "replies", "contract_errors", "webhooks")


class PlatformState:
    def __init__(self, monthly_quota):
        self.lock = threading.RLock()
        self.initial_quota = monthly_quota
        self.reset()

    def reset(self):
        with self.lock:
            self.monthly_quota, self.usage = self.initial_quota, 0
            self.users, self.retry_keys, self.link_tokens, self.reply_tokens = {}, {}, {}, {}
            self.failures = []
            for log in LOGS:
                setattr(self, log, [])

    def snapshot(self, log):
        with self.lock:
            return copy.deepcopy(getattr(self, log))

    def append(self, log, record):
        with self.lock:
            getattr(self, log).append(dict(record, at=ids.now_iso()))

    # Users --------------------------------------------------------------------------------------------
    def follow(self, user_id=None, display_name=None):
        """The user adds the bot as a friend (or unblocks it); returns (user, was_blocked_before)."""
        with self.lock:
            user_id = user_id or ids.user_id()
            user = self.users.get(user_id)
            was_blocked = bool(user and not user["following"])
            if user is None:
                user = self.users[user_id] = {"userId": user_id, "language": "th", "linkedNonce": None,
                                              "displayName": f"ผู้ใช้ LINE {len(self.users) + 1}"}
            user["following"] = True
            if display_name:
                user["displayName"] = display_name
            return dict(user), was_blocked

    def unfollow(self, user_id):
        with self.lock:
            if user_id not in self.users:
                return None
            self.users[user_id]["following"] = False
            return dict(self.users[user_id])

    def user(self, user_id):
        with self.lock:
            return dict(self.users[user_id]) if user_id in self.users else None

    def all_users(self):
        with self.lock:
            return [dict(user) for user in self.users.values()]

    # Tokens ----------------------------------------------------------------------------------------------
    def issue_reply_token(self, user_id, token=None):
        with self.lock:
            token = token or ids.reply_token()
            self.reply_tokens[token] = {"userId": user_id, "used": False}
            return token

    def take_reply_token(self, token):
        """The user the token was issued for, marking it used; None for an unknown or used token."""
        with self.lock:
            entry = self.reply_tokens.get(token)
            if entry is None or entry["used"]:
                return None
            entry["used"] = True
            return entry["userId"]

    def issue_link_token(self, user_id):
        with self.lock:
            token = ids.link_token()
            self.link_tokens[token] = {"userId": user_id, "issued": time.monotonic(), "used": False}
            return token

    def link_token_status(self, token, use=False):
        """("ok" | "unknown" | "used" | "expired", user ID or None); `use` spends a valid token."""
        with self.lock:
            entry = self.link_tokens.get(token or "")
            if entry is None:
                return "unknown", None
            if entry["used"]:
                return "used", entry["userId"]
            if time.monotonic() - entry["issued"] > LINK_TOKEN_SECONDS:
                return "expired", entry["userId"]
            if use:
                entry["used"] = True
            return "ok", entry["userId"]

    def mark_linked(self, user_id, nonce):
        with self.lock:
            if user_id in self.users:
                self.users[user_id]["linkedNonce"] = nonce

    # Failures on demand --------------------------------------------------------------------------------
    def plan_failure(self, mode, count, seconds):
        with self.lock:
            if mode == "off":
                self.failures.clear()
            else:
                self.failures.append({"mode": mode, "remaining": count, "seconds": seconds})

    def next_failure(self):
        """The failure planned for this push call, if any, counting it down (-1 never runs out)."""
        with self.lock:
            if not self.failures:
                return None
            plan = self.failures[0]
            if plan["remaining"] > 0:
                plan["remaining"] -= 1
                if plan["remaining"] == 0:
                    self.failures.pop(0)
            return dict(plan)
