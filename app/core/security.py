"""Response headers that keep pages from being framed, sniffed or made to run injected script, and the rule
that an htmx request carries its CSRF token in the header our own script sets (app/static/js/app.js)."""
from flask import request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# A file our own pages show in a frame (the letter's PDF beside its form): framed by us only.
FRAMED_BY_OWN_PAGES = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
                       "X-Frame-Options": "SAMEORIGIN"}


SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def init_app(app):
    @app.before_request
    def htmx_token_from_header_only():
        """A token picked up from the page's forms (hx-include) does not count for an htmx request."""
        if (request.headers.get("HX-Request") and request.method not in SAFE_METHODS
                and app.config.get("WTF_CSRF_ENABLED", True)):
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except ValidationError as error:
                raise CSRFError(error.args[0]) from error

    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
