"""Fixtures for the fake LINE server's tests: the server in a thread, and a tiny app that receives webhooks.

Everything listens on 127.0.0.1 and every HTTP client here ignores proxy settings: nothing leaves the
machine.
"""
import json
import threading

import pytest
import requests
from flask import Flask, request

from fake_line.server import create_app, serve_in_thread

TOKEN = "test-channel-access-token"
SECRET = "test-channel-secret"
APP_URL = "http://127.0.0.1:5000/"


class WebhookReceiver:
    """Stands in for the app's webhook endpoint: keeps each request's headers and exact body bytes."""

    def __init__(self):
        self.received, self.lock = [], threading.Lock()
        self.app = Flask(__name__)
        self.app.add_url_rule("/callback", "callback", self._receive, methods=["POST"])
        self.handle = serve_in_thread(self.app)
        self.url = self.handle.url + "/callback"

    def _receive(self):
        with self.lock:
            self.received.append({"headers": dict(request.headers), "raw": request.get_data()})
        return "OK"

    def events(self):
        with self.lock:
            return [event for hit in self.received for event in json.loads(hit["raw"])["events"]]


class FakeLineClient:
    """The running fake plus a proxy-free HTTP session, with the bearer token at hand."""

    def __init__(self, app, handle):
        self.app, self.handle, self.url = app, handle, handle.url
        self.platform = app.extensions["fake_line"]
        self.http = requests.Session()
        self.http.trust_env = False

    def api(self, method, path, token=TOKEN, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.url + path, headers=headers, **kwargs)

    def push(self, to, messages, retry_key=None, **kwargs):
        headers = {"X-Line-Retry-Key": retry_key} if retry_key else {}
        body = {"to": to, "messages": messages}
        return self.api("POST", "/v2/bot/message/push", json=body, headers=headers, **kwargs)

    def control(self, path, body=None):
        response = self.http.post(f"{self.url}/_fake/{path}", json=body or {}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def log(self, name):
        return self.http.get(f"{self.url}/_fake/{name}", timeout=10).json()


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.handle.stop()


@pytest.fixture
def fake(receiver):
    app = create_app(TOKEN, SECRET, webhook_url=receiver.url, monthly_quota=10, app_url=APP_URL)
    handle = serve_in_thread(app)
    yield FakeLineClient(app, handle)
    handle.stop()


@pytest.fixture
def friend(fake):
    """A LINE user who has added the bot as a friend."""
    return fake.control("follow", {"displayName": "สมศรี ทดสอบ"})
