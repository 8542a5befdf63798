"""Forms for the org chart, users and acting-for. Choices of units and users are set by the views."""
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms import TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional

from app.core.messages import lazy_gettext as _l
from app.org.labels import MANAGER_LEVEL_LABELS, ROLE_LABELS, UNIT_KIND_LABELS
from forms.fields import Form, ThaiDateField, clean_multiline, clean_text

UNIT_KINDS = list(UNIT_KIND_LABELS.items())
ROLES = list(ROLE_LABELS.items())
MANAGER_LEVELS = [("", _l("— not a manager —"))] + list(MANAGER_LEVEL_LABELS.items())


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UnitForm(Form):
    code = StringField(_l("Code"), filters=[clean_text], validators=[DataRequired(), Length(max=32)],
                       description=_l("Short English identifier, e.g. finance.accounting"))
    kind = SelectField(_l("Kind"), choices=UNIT_KINDS, default="section")
    name_th = StringField(_l("Name in Thai"), filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), filters=[clean_text], validators=[Optional(), Length(max=200)])
    letter_code = StringField(_l("Letter code"), filters=[clean_text], validators=[Optional(), Length(max=32)],
                              description=_l("Used in document numbers, e.g. ลย 51001"))
    parent_id = SelectField(_l("Parent unit"), coerce=int, validate_choice=True)


class UnitEditForm(Form):
    kind = SelectField(_l("Kind"), choices=UNIT_KINDS)
    name_th = StringField(_l("Name in Thai"), filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), filters=[clean_text], validators=[Optional(), Length(max=200)])
    letter_code = StringField(_l("Letter code"), filters=[clean_text], validators=[Optional(), Length(max=32)])


class UnitMoveForm(Form):
    parent_id = SelectField(_l("New parent unit"), coerce=int)


class UserForm(Form):
    full_name_th = StringField(_l("Full name in Thai"), filters=[clean_text],
                               validators=[DataRequired(), Length(max=200)])
    full_name_en = StringField(_l("Full name in English"), filters=[clean_text],
                               validators=[Optional(), Length(max=200)])
    position_title = StringField(_l("Position"), filters=[clean_text], validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[clean_text], validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("Unit"), coerce=int)
    roles = CheckboxListField(_l("Roles in the unit"), choices=ROLES)
    manager_level = SelectField(_l("Management level"), choices=MANAGER_LEVELS, default="")

    def role_pairs(self):
        return [(role, self.manager_level.data if role == "manager" else None) for role in self.roles.data]


class NewUserForm(UserForm):
    username = StringField(_l("Username"), filters=[clean_text], validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocapitalize": "none"})
    password = PasswordField(_l("First password"), validators=[DataRequired(), Length(max=256)],
                             description=_l("The user must change it at the first login."),
                             render_kw={"autocomplete": "new-password"})


class DelegationForm(Form):
    principal_id = SelectField(_l("Acting for (the absent person)"), coerce=int)
    deputy_id = SelectField(_l("Acting person"), coerce=int)
    starts_on = ThaiDateField(_l("From"), validators=[DataRequired()])
    ends_on = ThaiDateField(_l("Until"), validators=[DataRequired()])
    note = TextAreaField(_l("Reason or order reference"), filters=[clean_multiline],
                         validators=[Optional(), Length(max=500)])
