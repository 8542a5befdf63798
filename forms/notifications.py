"""Forms for notices and LINE."""
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from forms.fields import Form


class LineLinkForm(Form):
    """Confirming that the LINE account named on the page is to be linked: a POST, CSRF-checked."""
    link_token = HiddenField(validators=[DataRequired(), Length(max=128)])
