"""Which language a page is in, and the template filters that show dates the Thai way."""
from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from app.core import thai_dates

SUPPORTED_LOCALES = ("th", "en")


def select_locale():
    """The user's own choice; before login, the choice made on the login page; otherwise Thai."""
    if not has_request_context():  # CLI and jobs
        return "th"
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in SUPPORTED_LOCALES else "th"


def current_locale():
    return str(get_locale() or "th")


def _timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_app(app):
    @app.template_filter("display_date")
    def display_date(value, long=False):
        return thai_dates.format_date(thai_dates.to_local(value, _timezone()), current_locale(), long=long)

    @app.template_filter("display_datetime")
    def display_datetime(value):
        return thai_dates.format_datetime(value, current_locale(), _timezone())

    @app.template_filter("display_time")
    def display_time(value):
        return thai_dates.format_time(value, current_locale(), _timezone())

    @app.template_filter("display_duration")
    def display_duration(value):
        return thai_dates.format_duration(value, current_locale())

    @app.template_filter("thai_digits")
    def thai_digits(value):
        return thai_dates.thai_digits(value)

    @app.context_processor
    def locale_context():
        return {"current_locale": current_locale(), "supported_locales": SUPPORTED_LOCALES}
