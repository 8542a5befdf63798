"""Forms for a document's files. The type is checked by the service from the content, never here."""
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import HiddenField

from app.core.messages import lazy_gettext as _l
from forms.fields import Form


class UploadForm(Form):
    files = MultipleFileField(_l("Files"),
                              validators=[FileRequired(_l("Choose at least one file to attach."))])
    next = HiddenField()  # the page the panel is on, to go back to


class ReplaceForm(Form):
    file = FileField(_l("New version"), validators=[FileRequired(_l("Choose the file to replace it with."))])
    next = HiddenField()


class DeleteForm(Form):
    next = HiddenField()
