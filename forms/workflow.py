"""The admin's forms for flows: upload a diagram as a new version, move the documents under way to a version."""
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from app.core.messages import lazy_gettext as _l
from forms.fields import Form, clean_text


class PublishFlowForm(Form):
    key = StringField(_l("Flow code (for a new flow)"), filters=[lambda value: clean_text(value).lower()],
                      validators=[Length(max=64)], render_kw={"autocapitalize": "none", "spellcheck": "false"})
    file = FileField(_l("BPMN file (.bpmn)"), validators=[FileRequired(message=_l("Choose a BPMN file."))])
    note = StringField(_l("What changed (shown in the history)"), filters=[clean_text],
                       validators=[Length(max=500)])


class MakeCurrentForm(Form):
    """A button only: the CSRF token."""


class MigrateInstancesForm(Form):
    """The documents the admin ticked in the migration report, and the fingerprint of the report they read."""
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
    instance_ids = SelectMultipleField(coerce=int, validate_choice=False, validators=[
        DataRequired(message=_l("Tick at least one document to move."))])
