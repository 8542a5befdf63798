"""The steps of work inside a unit and of signing (flows 2 and 3): one small form per action."""
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.messages import lazy_gettext as _l
from forms.fields import UNIT_PICKER_HINT, Form, clean_multiline, unit_picker

ANY_MANAGER = 0
_CHOOSE_MANAGER = DataRequired(message=_l("Choose the manager to propose it to."))


def _text(label, required=None, rows=2):
    """`required`: the message shown when it is left empty (None: optional)."""
    validators = [DataRequired(message=required)] if required else []
    return TextAreaField(label, filters=[clean_multiline], validators=[*validators, Length(max=4000)],
                         render_kw={"rows": rows})


class ToManagerForm(Form):
    manager_id = SelectField(_l("Manager"), coerce=int, default=ANY_MANAGER)
    note = _text(_l("Note to the manager"))


class AssignForm(Form):
    operator_id = SelectField(_l("Operator (ผู้ปฏิบัติ)"), coerce=int, validators=[
        DataRequired(message=_l("Choose an active person of the unit to do the work."))])
    instruction = _text(_l("Instruction (เกษียนหนังสือ / คำสั่งการ)"))


class CloseForm(Form):
    note = _text(_l("Closing note"))


class ForwardForm(Form):
    to_unit_ids = SelectMultipleField(_l("Forward to units"), coerce=int, render_kw=unit_picker(5),
                                      description=UNIT_PICKER_HINT,
                                      validators=[DataRequired(message=_l("Choose at least one unit to send to."))])
    note = _text(_l("Note or instruction"))


class ProgressForm(Form):
    text = _text(_l("What has been done"), required=_l("Write what has been done."))
    percent_done = IntegerField(_l("Done (%)"), validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Progress is a percentage from 0 to 100."))])


class ProposeForm(Form):
    reviewer_id = SelectField(_l("Propose to"), coerce=int, validators=[_CHOOSE_MANAGER])
    text = _text(_l("Proposal (เสนอ)"))


class DoneForm(Form):
    text = _text(_l("Result of the work"))


class EndorseForm(Form):
    reviewer_id = SelectField(_l("Pass up to"), coerce=int, validators=[_CHOOSE_MANAGER])
    comment = _text(_l("Opinion (ความเห็น)"))


class SignForm(Form):
    comment = _text(_l("Comment with the signature"))


class LetterSignForm(SignForm):
    """Signing a letter written in the system: the signing PIN is the signer's intent, apart from the login;
    the revision is the one the signer read."""
    pin = PasswordField(_l("Signing PIN"), validators=[DataRequired(message=_l("Type your signing PIN."))],
                        render_kw={"autocomplete": "off", "inputmode": "text"})
    seen_revision = HiddenField()


class CosignForm(Form):
    """ลงนามร่วม: the co-signer's PIN, their intent, as the signer's."""
    pin = PasswordField(_l("Signing PIN"), validators=[DataRequired(message=_l("Type your signing PIN."))],
                        render_kw={"autocomplete": "off", "inputmode": "text"})
    comment = _text(_l("Comment with the co-signature"))


class DeclineCosignForm(Form):
    comment = _text(_l("Why you do not co-sign it"), required=_l("Say why you do not co-sign it."))


class SendBackForm(Form):
    comment = _text(_l("What needs to change"), required=_l("Say what needs to change."))


class WithdrawForm(Form):
    text = _text(_l("Why it is withdrawn"))
