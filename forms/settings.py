"""Forms for the document lists and the registers. Choices of units and types are set by the views."""
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NoneOf, NumberRange, Optional, Regexp

from app.core.messages import lazy_gettext as _l
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.documents.lists import TYPE_GROUP_LABELS
from app.registry.labels import DIRECTION_LABELS
from app.registry.queries import STANDARD_REGISTER_CODES
from forms.fields import Form, clean_text

NONE = 0
CODE_RULE = Regexp(r"^[a-z0-9][a-z0-9._-]*$",
                   message=_l("A code uses lower-case English letters, digits, '.', '_' or '-'."))


def lower_code(value):
    return clean_text(value).lower()


def code_field(description, *more_rules):
    return StringField(_l("Code (in English)"), filters=[lower_code], description=description,
                       validators=[DataRequired(), Length(max=32), CODE_RULE, *more_rules],
                       render_kw={"autocapitalize": "none"})


def name_th_field():
    return StringField(_l("Name in Thai"), filters=[clean_text], validators=[DataRequired(), Length(max=200)])


def name_en_field():
    return StringField(_l("Name in English"), filters=[clean_text], validators=[Optional(), Length(max=200)])


class DocumentTypeForm(Form):
    group = SelectField(_l("Group"), choices=list(TYPE_GROUP_LABELS.items()))
    code = code_field(_l("Short English identifier, e.g. secret_letter"))
    name_th = name_th_field()
    name_en = name_en_field()


class DocumentTypeFlowsForm(Form):
    """What a document type's new documents start with, and the flows they follow; the flows' choices are
    the published flows (set by the view)."""
    default_speed = SelectField(_l("Speed"), choices=list(SPEED_LABELS.items()))
    default_secrecy = SelectField(_l("Secrecy"), choices=list(SECRECY_LABELS.items()))
    default_due_days = IntegerField(_l("Due in (days)"), validators=[Optional(), NumberRange(min=0, max=3650)],
                                    description=_l("Days after the document is written or registered; leave "
                                                   "empty for no due date."))
    delivery_flow = SelectField(_l("Delivery to a unit (ลงรับหรือตีกลับ)"))
    handling_flow = SelectField(_l("Work in the unit after registration"))
    outgoing_flow = SelectField(_l("Outgoing letter: proposal and signature"))


class CategoryForm(Form):
    name_th = name_th_field()
    name_en = name_en_field()


class DeliveryMethodForm(Form):
    code = code_field(_l("Short English identifier, e.g. courier"))
    name_th = name_th_field()
    name_en = name_en_field()


class ListItemForm(Form):
    """Rename or reorder one row of a list; each row's form has its own prefix."""
    name_th = name_th_field()
    name_en = name_en_field()
    sort_order = IntegerField(_l("Order in the list"),
                              validators=[InputRequired(), NumberRange(min=0, max=99999)])


class RegisterForm(Form):
    code = code_field(_l("Short English identifier, e.g. circular"),
                      NoneOf(sorted(STANDARD_REGISTER_CODES),
                             message=_l("This code is kept for the unit's main registers.")))
    name_th = name_th_field()
    name_en = name_en_field()
    direction = SelectField(_l("Direction"), choices=list(DIRECTION_LABELS.items()), default="send")
    prefix = StringField(_l("Prefix"), filters=[clean_text], validators=[Optional(), Length(max=16)],
                         description=_l("Written before the number, e.g. ว for circulars: ลย 51001/ว 45"))
    document_type_id = SelectField(_l("Document type"), coerce=int, default=NONE,
                                   description=_l("Documents of this type are numbered in this series."))
    yearly_reset = BooleanField(_l("Start again from 1 each calendar year"), default=True)


class RegisterEditForm(Form):
    name_th = name_th_field()
    name_en = name_en_field()
    prefix = StringField(_l("Prefix"), filters=[clean_text], validators=[Optional(), Length(max=16)])


class StartingNumberForm(Form):
    first_number = IntegerField(_l("Next number"),
                                validators=[DataRequired(), NumberRange(min=1, max=9999999)])
