"""What every form shares: the base form that cleans all typed text, the field filters, and the Thai date box."""
from flask import current_app, has_app_context
from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField, TextAreaField
from wtforms.widgets import TextInput

from app.core.date_input import DateInputError, format_date_input, parse_date_input
from app.core.messages import lazy_gettext as _l
from app.core.text import clean_line, clean_lines
from app.core.thai_dates import today_local


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


class _AppTranslations:
    """WTForms' own messages ("This field is required.", "Not a valid choice.") looked up in the app's
    catalogue, where they have Thai translations: WTForms ships none for Thai, so Flask-WTF's i18n left them
    in English on the Thai UI (issue 14 item 7)."""

    @staticmethod
    def _catalogue():
        return get_translations() if has_app_context() and "babel" in current_app.extensions else None

    def gettext(self, string):
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular, plural, n):  # not Flask-Babel's ngettext: it would fill in %(num)s itself
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form: each text field is cleaned of control and invisible characters, whether or
    not the field names a filter, so a new field cannot forget it (issue 12 item 9). WTForms' own messages
    come from the app's catalogue."""

    class Meta:
        def get_translations(self, form):
            return _AppTranslations()

        def bind_field(self, form, unbound_field, options):
            cleaner = _cleaner(unbound_field.field_class)
            if cleaner is not None:
                filters = (cleaner, *unbound_field.kwargs.get("filters", ()))
                return unbound_field.bind(form=form, **{**options, "filters": filters})
            return unbound_field.bind(form=form, **options)


class ThaiDateField(Field):
    """A date typed as Thai clerks type it (app/core/date_input.py: day first, พ.ศ., Thai digits too), shown
    back as 28/11/2569. A text box, not the browser's date box: that one shows and sends Christian years, and
    a Buddhist year typed into it was stored 543 years ahead (issue 14 item 1). app/static/js/thai-date.js
    adds a calendar in พ.ศ. beside it."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "วว/ดด/ปปปป", "autocomplete": "off", "data-thai-date": "",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            timezone_name = current_app.config["BABEL_DEFAULT_TIMEZONE"]
            try:
                self.data = parse_date_input(valuelist[0], today=today_local(timezone_name))
            except DateInputError as error:
                raise ValueError(str(error.message)) from None

    def _value(self):
        return self.raw_data[0] if self.raw_data else format_date_input(self.data)


UNIT_PICKER_HINT = _l("Hold Ctrl (⌘ on a Mac) and click to choose several units.")


def unit_picker(size):
    """render_kw of a <select multiple> of units that app/static/js/unit-picker.js turns into a filter box,
    checkboxes and chips of the chosen units; its texts come translated from here, as the script has no
    catalogue. Without the script the select still works, and the field's description tells how."""
    return {"size": size, "data-unit-picker": "", "data-picker-filter": _l("Type to find a unit (Thai or English)"),
            "data-picker-hint": _l("Tick every unit that should get it; remove one with ×."),
            "data-picker-none": _l("No unit matches."), "data-picker-remove": _l("Remove")}


def people_picker(size):
    """render_kw of a <select multiple> of people, turned by the same script into a filter box and chips."""
    return {"size": size, "data-unit-picker": "", "data-picker-filter": _l("Type to find a person (Thai or English)"),
            "data-picker-hint": _l("Tick each person; they sign in the order listed."),
            "data-picker-none": _l("No one matches."), "data-picker-remove": _l("Remove")}
