"""Forms for documents. Choices of types, categories, methods and units are set by the views."""
from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.messages import lazy_gettext as _l
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from forms.fields import UNIT_PICKER_HINT, Form, ThaiDateField, clean_multiline, clean_text, unit_picker

NONE = 0


class DocumentForm(Form):
    type_id = SelectField(_l("Document type"), coerce=int)
    doc_number = StringField(_l("Document number (ที่)"), filters=[clean_text], validators=[Length(max=100)])
    dated = ThaiDateField(_l("Dated (ลงวันที่)"), validators=[Optional()])
    subject = TextAreaField(_l("Subject (เรื่อง)"), filters=[clean_text],
                            validators=[DataRequired(), Length(max=500)], render_kw={"rows": 2})
    addressed_to = StringField(_l("To (เรียน/ถึง)"), filters=[clean_text], validators=[Length(max=500)])
    recipient_unit_ids = SelectMultipleField(_l("Recipient units"), coerce=int, render_kw=unit_picker(4),
                                             description=UNIT_PICKER_HINT)
    recipient_texts = TextAreaField(_l("Outside recipients, one per line"), filters=[clean_multiline],
                                    validators=[Length(max=2000)], render_kw={"rows": 2})
    from_text = StringField(_l("From (จาก)"), filters=[clean_text], validators=[Length(max=300)],
                            description=_l("The sending organisation, as written on the letter"))
    reference = TextAreaField(_l("Reference (อ้างถึง)"), filters=[clean_multiline], validators=[Length(max=2000)],
                              render_kw={"rows": 1})
    enclosures = TextAreaField(_l("Enclosures (สิ่งที่ส่งมาด้วย)"), filters=[clean_multiline],
                               validators=[Length(max=2000)], render_kw={"rows": 1})
    category_id = SelectField(_l("Category (หมวด)"), coerce=int, default=NONE)
    delivery_method_id = SelectField(_l("Delivery method"), coerce=int, default=NONE)
    secrecy = SelectField(_l("Secrecy"), choices=list(SECRECY_LABELS.items()), default="normal")
    speed = SelectField(_l("Speed"), choices=list(SPEED_LABELS.items()), default="normal")
    due_date = ThaiDateField(_l("Due date"), validators=[Optional()])
    due_days = IntegerField(_l("or due in (days)"), validators=[Optional(), NumberRange(min=0, max=3650)])
    note = TextAreaField(_l("Note"), filters=[clean_multiline], validators=[Length(max=2000)], render_kw={"rows": 2})


class PaperLetterForm(DocumentForm):
    unit_id = SelectField(_l("Receiving unit"), coerce=int)
    files = MultipleFileField(_l("Scanned letter and attachments"))


class DueDateForm(Form):
    new_due_date = ThaiDateField(_l("New due date"), validators=[Optional()])
    due_days = IntegerField(_l("or in (days from today)"), validators=[Optional(), NumberRange(min=0, max=3650)])
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[DataRequired(), Length(max=500)])


class ReasonForm(Form):
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[DataRequired(), Length(max=500)])


class ConfirmForm(Form):
    """A button that posts: only the CSRF token."""
