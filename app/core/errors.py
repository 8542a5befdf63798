"""Error pages in the user's language; never a stack trace. The database session is rolled back first."""
import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.messages import lazy_gettext as _l
from app.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("The page you asked for does not exist."),
    405: _l("This action is not allowed here."),
    413: _l("The file is larger than the system accepts."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Nothing was saved. Please try again."),
}


def _render(status):
    message = MESSAGES.get(status, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json":
        return {"error": str(message)}, status
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        message = _l("This form has expired. Please reload the page and try again.")
        if request.accept_mimetypes.best == "application/json":  # a page's script (the flow editor)
            return {"ok": False, "error": str(message)}, 400
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _render(500)


class BusinessRuleError(Exception):
    """A request broke a rule of the business; its message is shown to the user and nothing is saved."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def required_thai_name(name):
    """A Thai name, stripped; refused when empty (every named record has one)."""
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(_l("The Thai name is required."))
    return name
