"""Forms for writing a letter (E-Form). Which of the letter's fields a page shows follows its kind
(app/letters/kinds.py); choices of units, types and signers are set by the views."""
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.messages import lazy_gettext as _l
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.letters.kinds import FIELD_LABELS, KINDS, Field
from forms.fields import Form, clean_multiline, clean_text, people_picker, unit_picker

KIND_CHOICES = [(str(kind), spec.label) for kind, spec in KINDS.items()]


def _line(name, max_length=500):
    return StringField(FIELD_LABELS[name], filters=[clean_text], validators=[Length(max=max_length)])


def _text(name, rows, max_length):
    return TextAreaField(FIELD_LABELS[name], filters=[clean_multiline], validators=[Length(max=max_length)],
                         render_kw={"rows": rows})


class LetterForm(Form):
    kind = SelectField(_l("Kind of letter"), choices=KIND_CHOICES)
    circular = BooleanField(_l("Circular letter (หนังสือเวียน, numbered in the ว series)"))
    subject = TextAreaField(_l("Subject (เรื่อง)"), filters=[clean_text],
                            validators=[DataRequired(), Length(max=500)], render_kw={"rows": 2})
    addressee = _line(Field.ADDRESSEE)
    reference = _text(Field.REFERENCE, 2, 1000)
    enclosures = _text(Field.ENCLOSURES, 2, 2000)
    body = TextAreaField(FIELD_LABELS[Field.BODY], filters=[clean_multiline],
                         validators=[DataRequired(), Length(max=20000)], render_kw={"rows": 12},
                         description=_l("A blank line starts a new paragraph; a line starting with 1. or (1) is a "
                                        "numbered item; lines starting with | make a table. Text pasted from a "
                                        "PDF is joined back into paragraphs."))
    closing = _line(Field.CLOSING, 100)
    effective = _line(Field.EFFECTIVE, 200)
    copy_to = _line(Field.COPY_TO)
    contact_unit = _line(Field.CONTACT_UNIT, 300)
    contact_phone = _line(Field.CONTACT_PHONE, 100)
    contact_fax = _line(Field.CONTACT_FAX, 100)
    contact_email = _line(Field.CONTACT_EMAIL, 200)
    signer_name = _line(Field.SIGNER_NAME, 200)
    signer_position = _line(Field.SIGNER_POSITION, 300)
    acting_for = _text(Field.ACTING_FOR, 2, 300)
    cosigners = SelectMultipleField(
        _l("Co-signers (ลงนามร่วม)"), coerce=int, render_kw=people_picker(4), validators=[Optional()],
        description=_l("They sign after the signer, one after the other in the order listed; the letter leaves "
                       "once the last has signed. Only people with a signing certificate are listed."))
    speed = SelectField(_l("Speed"), choices=list(SPEED_LABELS.items()), default="normal")
    secrecy = SelectField(_l("Secrecy"), choices=list(SECRECY_LABELS.items()), default="normal")
    recipient_unit_ids = SelectMultipleField(_l("Recipient units"), coerce=int, render_kw=unit_picker(4),
                                             validators=[Optional()])
    recipient_texts = TextAreaField(_l("Outside recipients, one per line"), filters=[clean_multiline],
                                    validators=[Length(max=2000)], render_kw={"rows": 2})
    comment = StringField(_l("What changed (for the reviewers)"), filters=[clean_text],
                          validators=[Length(max=500)])
    seen_revision = HiddenField()

    def letter_fields(self):
        """The values of the letter's own fields, keyed as app.letters.kinds.Field."""
        return {str(name): getattr(self, str(name)).data or "" for name in Field}


class NewLetterForm(LetterForm):
    type_id = SelectField(_l("Document type"), coerce=int)


class TemplateForm(Form):
    name = StringField(_l("Template name"), filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("For unit"), coerce=int)


class VerifyCodeForm(Form):
    code = StringField(_l("Code printed under the QR code"), filters=[lambda v: clean_text(v).upper().replace(" ", "")],
                       validators=[DataRequired(), Length(min=6, max=16)], render_kw={"autocapitalize": "characters"})


class VerifyUploadForm(Form):
    file = FileField(_l("The PDF you received"), validators=[FileRequired(message=_l("Choose a PDF file to check."))])


class LetterheadForm(Form):
    address = TextAreaField(_l("Address as printed on external letters"), filters=[clean_multiline],
                            validators=[Length(max=500)], render_kw={"rows": 3})
    phone = StringField(_l("Phone"), filters=[clean_text], validators=[Length(max=100)])
    fax = StringField(_l("Fax"), filters=[clean_text], validators=[Length(max=100)])
    email = StringField(_l("E-mail"), filters=[clean_text], validators=[Length(max=200)])
    font_family = SelectField(_l("Font of letters"))
    thai_digits = BooleanField(_l("Thai digits (๑๒๓) in letters"))
    buddhist_era = BooleanField(_l("Buddhist-Era years (พ.ศ.) in letters"))
    garuda = FileField(_l("Garuda emblem (PNG, JPEG or SVG, the official file)"))
    remove_garuda = BooleanField(_l("Go back to the placeholder emblem"))


class EndorseCopyForm(Form):
    """Stamping a manager's instruction on a signed copy of the letter's first page (เกษียนหนังสือ)."""
    pin = PasswordField(_l("Signing PIN"), validators=[DataRequired(message=_l("Type your signing PIN.")),
                                                       Length(max=64)],
                        render_kw={"autocomplete": "off", "inputmode": "text"})
