"""Forms of the signing pages: the user's PIN, PKCS#12 import and signature image; the admin's
revocation."""
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.core.messages import lazy_gettext as _l
from forms.fields import Form

PIN_HINT = _l("At least 6 characters, not your login password. You type it each time you sign.")


class SetPinForm(Form):
    new_pin = PasswordField(_l("New signing PIN"), validators=[DataRequired(), Length(max=64)],
                            description=PIN_HINT, render_kw={"autocomplete": "new-password"})
    confirm_pin = PasswordField(
        _l("Confirm signing PIN"),
        validators=[DataRequired(), EqualTo("new_pin", message=_l("The two PINs differ."))],
        render_kw={"autocomplete": "new-password"})


class ChangePinForm(SetPinForm):
    old_pin = PasswordField(_l("Current signing PIN"), validators=[DataRequired(), Length(max=64)],
                            render_kw={"autocomplete": "current-password"})


class ImportPkcs12Form(Form):
    file = FileField(_l("Certificate file (.p12 or .pfx)"),
                     validators=[FileRequired(_l("Choose the certificate file."))])
    file_password = PasswordField(_l("The file's password"), validators=[Optional(), Length(max=256)],
                                  render_kw={"autocomplete": "off"})
    pin = PasswordField(_l("Your signing PIN"), validators=[DataRequired(), Length(max=64)],
                        render_kw={"autocomplete": "current-password"})


class SignatureImageForm(Form):
    image = FileField(_l("Signature image (PNG or JPEG)"),
                      validators=[FileRequired(_l("Choose an image of your signature."))])


REVOCATION_REASONS = [
    ("unspecified", _l("No particular reason")),
    ("key_compromise", _l("The key or PIN may be known to someone else")),
    ("affiliation_changed", _l("Moved to another organisation or position")),
    ("superseded", _l("Replaced by a new certificate")),
    ("cessation_of_operation", _l("No longer signs for the organisation")),
]


class RevokeForm(Form):
    reason = SelectField(_l("Reason"), choices=REVOCATION_REASONS, validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
