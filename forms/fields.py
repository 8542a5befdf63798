"""What every form shares: the base form that cleans all typed text, and the field filters."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from app.core.text import clean_line, clean_lines


def clean_text(value):
    """One line of text as services expect it: cleaned (app/core/text.py), stripped, '' rather than None."""
    return clean_line(value or "").strip()


def clean_multiline(value):
    """Text of several lines: cleaned keeping newlines and tabs, stripped, '' rather than None."""
    return clean_lines(value or "").strip()


def _cleaner(field_class):
    """The cleaning every text field gets, before its own filters; None for fields that are not text."""
    if not issubclass(field_class, StringField) or issubclass(field_class, PasswordField):
        return None  # a password is compared, never shown: cleaning it would change the secret
    return clean_lines if issubclass(field_class, TextAreaField) else clean_line


class Form(FlaskForm):
    """The base of every form: each text field is cleaned of control and invisible characters, whether or
    not the field names a filter, so a new field cannot forget it (issue 12 item 9)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            cleaner = _cleaner(unbound_field.field_class)
            if cleaner is not None:
                filters = (cleaner, *unbound_field.kwargs.get("filters", ()))
                return unbound_field.bind(form=form, **{**options, "filters": filters})
            return unbound_field.bind(form=form, **options)
