"""Build the fake LINE server as a Flask app, and run it in a background thread for tests.

`python -m fake_line` serves the same app as its own process (for `make run`); tests can do either.
"""
import threading

from flask import Flask
from werkzeug.serving import make_server

from fake_line import api, control, demo, dialog
from fake_line.platform import FakeLine


def create_app(channel_token, channel_secret, webhook_url=None, monthly_quota=1000, app_url=None):
    """The fake server for one channel; `app.extensions["fake_line"]` is its FakeLine (state and actions).

    `monthly_quota=None` means no monthly limit (`GET /v2/bot/message/quota` answers `{"type": "none"}`).
    """
    if not channel_token or not channel_secret:
        raise ValueError("the fake LINE server needs a channel access token and a channel secret")
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions["fake_line"] = FakeLine(channel_token, channel_secret, webhook_url=webhook_url,
                                           app_url=app_url, monthly_quota=monthly_quota)
    for blueprint in (api.bp, control.bp, demo.bp, dialog.bp):
        app.register_blueprint(blueprint)
    return app


class ServerHandle:
    """A server running in a daemon thread: `.url` to reach it, `.stop()` to shut it down."""

    def __init__(self, server, thread):
        self.server, self.thread = server, thread
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def serve_in_thread(app, host="127.0.0.1", port=0):
    """Serve `app` with werkzeug (threaded) in a daemon thread; port 0 picks a free port."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"fake-line-{server.server_port}", daemon=True)
    thread.start()
    return ServerHandle(server, thread)
