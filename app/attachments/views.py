"""A document's files: upload, download, preview, replace, delete (R10, R34, R35).

Every route checks the document first: 404 when the user cannot see it (its existence is not revealed), 403
when it is classified and its content is not for them, or when they may not attach, replace or delete
(app.documents.permissions). The unit acting on files is the user's own (current_user.unit): it owns what
it attaches, and only it may replace or delete those files (R10).
"""
import logging
import os
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from app.attachments import queries, services, storage
from app.attachments.filetypes import KIND_BY_MIME
from app.attachments.models import Attachment
from app.core.messages import lazy_gettext as _l
from app.core.redirects import safe_next_url
from app.core.web import commit_or_flash, current_actor
from app.documents import access, permissions
from app.documents.models import Document
from app.extensions import db
from forms.attachments import DeleteForm, ReplaceForm, UploadForm

log = logging.getLogger(__name__)
bp = Blueprint("attachments", __name__, url_prefix="/attachments")

# Files are served with their own policy. A preview must let the browser's PDF viewer work (Chrome embeds it
# in a page with inline styles); a download gets nothing at all.
PREVIEW_CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
_RFC5987_SAFE = "!#$&+-.^_`|~"  # attr-char besides letters and digits (RFC 5987 section 3.2.1)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/documents/<int:document_id>")
def index(document_id):
    document = _readable_document(db.session.get(Document, document_id))
    return render_template("attachments/index.html", document=document, document_url=_document_url(document),
                           **queries.panel_context(current_user, document))


@bp.post("/documents/<int:document_id>")
def upload(document_id):
    document = _readable_document(db.session.get(Document, document_id))
    if not permissions.may_attach(current_user, document):
        abort(403)
    form = UploadForm()
    if form.validate_on_submit():
        files = [(item.filename, item.stream) for item in form.files.data]
        commit_or_flash(lambda: services.attach_files(current_actor(), document, unit=current_user.unit,
                                                      files=files), _l("The files were attached."))
    else:
        _flash_errors(form)
    return _back(form, document)


@bp.get("/<int:attachment_id>/download")
def download(attachment_id):
    return _send(_readable_attachment(attachment_id), inline=False)


@bp.get("/<int:attachment_id>/preview")
def preview(attachment_id):
    """PDFs and images open in the browser; any other type is downloaded."""
    attachment = _readable_attachment(attachment_id)
    kind = KIND_BY_MIME.get(attachment.content_type)
    return _send(attachment, inline=kind is not None and kind.preview)


@bp.post("/<int:attachment_id>/replace")
def replace(attachment_id):
    attachment = _changeable_attachment(attachment_id)
    form = ReplaceForm()
    if form.validate_on_submit():
        new_file = form.file.data
        commit_or_flash(lambda: services.replace(current_actor(), attachment, unit=current_user.unit,
                                                 filename=new_file.filename, stream=new_file.stream),
                        _l("The file was replaced."))
    else:
        _flash_errors(form)
    return _back(form, attachment.document)


@bp.post("/<int:attachment_id>/delete")
def delete(attachment_id):
    attachment = _changeable_attachment(attachment_id)
    form = DeleteForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: services.delete(current_actor(), attachment, unit=current_user.unit),
                        _l("The file was deleted."))
    else:
        _flash_errors(form)
    return _back(form, attachment.document)


def content_disposition(disposition, filename):
    """`inline` or `attachment` with the name twice: an ASCII fallback, and the real name in UTF-8 as RFC 6266
    and RFC 5987 say (filename*=UTF-8''...), which every current browser prefers, so Thai names survive."""
    stem, extension = os.path.splitext(filename)
    fallback = (_ascii(stem) or "file") + _ascii(extension)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe=_RFC5987_SAFE)}"


# ---- helpers -------------------------------------------------------------------------------------------

def _readable_document(document):
    user = current_user._get_current_object()
    if document is None or not access.can_see(user, document):
        abort(404)  # never reveal that a document of another unit exists
    if not access.can_see_content(user, document):
        abort(403)
    return document


def _attachment_of_readable_document(attachment_id):
    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    _readable_document(attachment.document)
    return attachment


def _changeable_attachment(attachment_id):
    attachment = _attachment_of_readable_document(attachment_id)
    if not permissions.may_change_attachment(current_user, attachment):
        abort(403)
    return attachment


def _readable_attachment(attachment_id):
    attachment = _attachment_of_readable_document(attachment_id)
    if attachment.deleted_at is not None:
        abort(404)  # the history lists replaced and deleted files; their content is kept, not served
    return attachment


def _send(attachment, *, inline):
    path = storage.file_store().path_for(attachment.sha256)
    if not path.is_file():
        log.error("attachment %s: content %s missing from the file store", attachment.id, attachment.sha256)
        abort(404)
    how = "preview" if inline else "download"
    commit_or_flash(lambda: services.record_read(current_actor(), attachment, how=how))
    response = send_file(path, mimetype=attachment.content_type, conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition("inline" if inline else "attachment",
                                                                  attachment.filename)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP if inline else DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _document_url(document):
    try:
        return url_for("documents.detail", document_id=document.id)
    except BuildError:  # the documents pages are optional for this one
        return None


def _back(form, document):
    default = url_for("attachments.index", document_id=document.id)
    return redirect(safe_next_url(form.next.data, default))


def _flash_errors(form):
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")


def _ascii(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(char for char in folded if char.isprintable() and char not in '"\\%;').strip()
