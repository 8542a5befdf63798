"""Forms for notices and LINE."""
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class LineLinkForm(FlaskForm):
    """Confirming that the LINE account named on the page is to be linked: a POST, CSRF-checked."""
    link_token = HiddenField(validators=[DataRequired(), Length(max=128)])
