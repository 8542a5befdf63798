"""Translated messages that can carry values, safe to show in a page.

Flask-Babel's lazy strings tell Jinja that they are already HTML (`LazyString.__html__`), so every value
formatted into one (a typed date, a unit name, a file name, a username) reached the page unescaped, and with
htmx on the page a link could make a logged-in clerk send a letter. Here only the translated text is trusted
as HTML; each value is escaped before it is put in. Every module takes `_l` from here
(tests/unit/test_message_escaping.py fails on a direct import of Flask-Babel's).
"""
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup


class LazyMessage(LazyString):
    """Translated when used; `str()` gives plain text, Jinja gets the translation with its values escaped."""

    def __init__(self, string, **values):
        super().__init__(gettext, string, **values)

    def __html__(self):
        string, values = self._args[0], self._kwargs
        template = Markup(gettext(string))
        return template % values if values else template


def lazy_gettext(string, **values):
    return LazyMessage(string, **values)
