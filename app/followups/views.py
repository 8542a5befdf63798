"""The follow-up list (R30) and the follow / stop following buttons on a document."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash
from app.documents import access
from app.documents.models import Document
from app.extensions import db
from app.followups import queries, services

bp = Blueprint("followups", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/following")
def index():
    return render_template("followups/index.html", rows=queries.followed_by(current_user))


@bp.post("/documents/<int:document_id>/follow")
def follow(document_id):
    document = _visible_or_404(document_id)
    commit_or_flash(lambda: services.follow(current_user, document), _l("Added to your follow-up list."))
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/unfollow")
def unfollow(document_id):
    document = _visible_or_404(document_id)
    commit_or_flash(lambda: services.unfollow(current_user, document), _l("Removed from your follow-up list."))
    return redirect(url_for("documents.detail", document_id=document.id))


def _visible_or_404(document_id):
    document = db.session.get(Document, document_id)
    if document is None or not access.can_see(current_user, document):
        abort(404)
    return document
