from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.core.messages import lazy_gettext as _l
from forms.fields import UNIT_PICKER_HINT, Form, clean_multiline, clean_text, unit_picker


NO_LIST = 0


class SendForm(Form):
    to_unit_ids = SelectMultipleField(_l("Send to units"), coerce=int, render_kw=unit_picker(6),
                                      description=UNIT_PICKER_HINT)
    list_id = SelectField(_l("or to a saved list"), coerce=int, default=NO_LIST)
    note = TextAreaField(_l("Note or instruction"), filters=[clean_multiline], validators=[Length(max=2000)],
                         render_kw={"rows": 2})
    # The unit it goes from, when the sender holds the letter in more than one (the copy they act for).
    from_unit_id = IntegerField(widget=HiddenInput(), validators=[Optional()])


class ReturnForm(Form):
    note = TextAreaField(_l("Why it is returned"), filters=[clean_multiline],
                         validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})


class DistributionListForm(Form):
    name = StringField(_l("List name"), filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    member_unit_ids = SelectMultipleField(_l("Units in the list"), coerce=int, validators=[DataRequired()],
                                          render_kw=unit_picker(10), description=UNIT_PICKER_HINT)
