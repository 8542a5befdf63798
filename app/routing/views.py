"""Incoming and sent deliveries, the clerk's register/return, the sender's recall, and "My work"."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.attachments.queries import panel_context
from app.core.i18n import current_locale
from app.core.web import commit_or_flash, current_actor
from app.documents import access
from app.documents.models import Document
from app.extensions import db
from app.org.models import Role, Unit
from app.org.queries import effective_roles, unit_choices
from app.routing import queries, services
from app.routing.models import Delivery, DeliveryStatus
from forms.documents import ConfirmForm
from forms.routing import ReturnForm, SendForm

bp = Blueprint("routing", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _clerk_unit_ids():
    return {held.unit.id for held in effective_roles(current_user) if held.role == Role.CLERK}


def _delivery_or_404(delivery_id):
    """A delivery of the user's units; once recalled, it is gone from the receiving unit (R18)."""
    delivery = db.session.get(Delivery, delivery_id)
    working = access.working_unit_ids(current_user)
    units = {delivery.from_unit_id} if delivery and delivery.status == DeliveryStatus.RECALLED else (
        {delivery.to_unit_id, delivery.from_unit_id} if delivery else set())
    if not units & working:
        abort(404)
    return delivery


@bp.get("/inbox")
def inbox():
    return render_template("routing/inbox.html", deliveries=queries.inbox(_clerk_unit_ids()))


@bp.get("/sent")
def sent_items():
    return render_template("routing/sent.html", deliveries=queries.sent_items(access.working_unit_ids(current_user)),
                           confirm_form=ConfirmForm())


@bp.get("/tasks")
def my_work():
    return render_template("routing/tasks.html", rows=queries.my_work(current_user))


@bp.get("/deliveries/<int:delivery_id>")
def delivery(delivery_id):
    delivery = _delivery_or_404(delivery_id)
    is_receiving_clerk = delivery.to_unit_id in _clerk_unit_ids()
    if is_receiving_clerk:
        services.mark_read(current_actor(delivery.to_unit_id), delivery)
        db.session.commit()
    document = delivery.document
    content_visible = access.can_see_content(current_user, document)
    return render_template(
        "routing/delivery.html", delivery=delivery, document=document, content_visible=content_visible,
        route=queries.route_of(document), is_receiving_clerk=is_receiving_clerk, return_form=ReturnForm(),
        confirm_form=ConfirmForm(), **(panel_context(current_user, document) if content_visible else {}))


@bp.post("/deliveries/<int:delivery_id>/register")
def register(delivery_id):
    delivery = _receiving_delivery_or_403(delivery_id)
    entry = commit_or_flash(lambda: services.register(current_actor(delivery.to_unit_id), delivery),
                            _l("The document was registered."))
    if entry:
        return redirect(url_for("documents.receipt", document_id=delivery.document_id, entry_id=entry.id))
    return redirect(url_for("routing.delivery", delivery_id=delivery.id))


@bp.post("/deliveries/<int:delivery_id>/return")
def return_to_sender(delivery_id):
    delivery = _receiving_delivery_or_403(delivery_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(str(_l("Say why the document is returned.")), "danger")
        return redirect(url_for("routing.delivery", delivery_id=delivery.id))
    if commit_or_flash(lambda: services.return_to_sender(current_actor(delivery.to_unit_id), delivery,
                                                         form.note.data), _l("The document was returned.")):
        return redirect(url_for("routing.inbox"))
    return redirect(url_for("routing.delivery", delivery_id=delivery.id))


@bp.post("/deliveries/<int:delivery_id>/recall")
def recall(delivery_id):
    delivery = _delivery_or_404(delivery_id)
    if delivery.from_unit_id not in access.working_unit_ids(current_user):
        abort(403)
    commit_or_flash(lambda: services.recall(current_actor(delivery.from_unit_id), delivery),
                    _l("The document was recalled."))
    return redirect(url_for("routing.sent_items"))


@bp.post("/documents/<int:document_id>/send")
def send(document_id):
    document = db.session.get(Document, document_id)
    if document is None or not access.can_see(current_user, document):
        abort(404)
    if not access.can_see_content(current_user, document):
        abort(403)
    from_unit_id = _sending_unit_id(document)
    form = SendForm()
    form.to_unit_ids.choices = unit_choices(current_locale())
    if form.validate_on_submit():
        units = [db.session.get(Unit, unit_id) for unit_id in form.to_unit_ids.data]
        commit_or_flash(lambda: services.send(current_actor(from_unit_id), document,
                                              from_unit=db.session.get(Unit, from_unit_id), to_units=units,
                                              note=form.note.data), _l("The document was sent."))
    else:
        flash(str(_l("Choose at least one unit to send to.")), "danger")
    return redirect(url_for("documents.detail", document_id=document.id))


def _sending_unit_id(document):
    """The unit sending: the document's owner, or a unit of the user's that holds it (to pass it on)."""
    working = access.working_unit_ids(current_user)
    if document.owner_unit_id in working:
        return document.owner_unit_id
    holding = working & access.involved_unit_ids(document)
    if not holding:
        abort(403)
    return min(holding)


def _receiving_delivery_or_403(delivery_id):
    delivery = _delivery_or_404(delivery_id)
    if delivery.to_unit_id not in _clerk_unit_ids():
        abort(403)
    return delivery
