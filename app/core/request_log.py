"""One log line per request, carrying a request id and the user; never form bodies, passwords or tokens."""
import logging
import re
import time
import uuid

from flask import g, request
from flask_login import current_user

log = logging.getLogger("esaraban.request")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,32}$")


class _RequestContextFilter(logging.Filter):
    def filter(self, record):
        from flask import has_request_context

        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(level):
    handler = logging.StreamHandler()
    handler.addFilter(_RequestContextFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # WeasyPrint logs seven INFO lines for every PDF, and three when it is imported.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def init_app(app):
    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        user = current_user.username if current_user and current_user.is_authenticated else "-"
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.endpoint != "static":
            log.info("%s %s %s %.0fms user=%s addr=%s", request.method, request.path, response.status_code,
                     elapsed_ms, user, request.remote_addr)
        return response
