"""Incoming and sent deliveries, the clerk's register/return, the sender's recall, and "My work"."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.attachments.queries import panel_context
from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor
from app.documents import access, permissions
from app.documents.models import Document
from app.extensions import db
from app.handling import services as handling
from app.letters import verification as letter_verification
from app.org.models import Role, Unit
from app.org.queries import effective_roles, unit_picker_choices
from app.routing import queries, services
from app.routing.models import Delivery, DeliveryStatus, DistributionList
from forms.documents import ConfirmForm
from forms.routing import NO_LIST, DistributionListForm, ReturnForm, SendForm

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
    return render_template("routing/inbox.html", deliveries=queries.inbox(_clerk_unit_ids(), current_user))


@bp.get("/sent")
def sent_items():
    rows = queries.sent_items(access.working_unit_ids(current_user), current_user)
    waiting = [row.delivery for row in rows if row.delivery.status in services.OPEN]
    return render_template("routing/sent.html", deliveries=rows, confirm_form=ConfirmForm(),
                           recallable=permissions.recallable(current_user, waiting))


@bp.get("/tasks")
def my_work():
    return render_template("routing/tasks.html", rows=queries.my_work(current_user))


@bp.get("/deliveries/<int:delivery_id>")
def delivery(delivery_id):
    delivery = _delivery_or_404(delivery_id)
    is_receiving_clerk = permissions.may_receive(current_user, delivery)
    if is_receiving_clerk:
        services.mark_read(current_actor(delivery.to_unit_id), delivery)
        db.session.commit()
    document = delivery.document
    content_visible = access.can_see_content(current_user, document)
    return render_template(
        "routing/delivery.html", delivery=delivery, document=document, content_visible=content_visible,
        route=queries.route_of(document), is_receiving_clerk=is_receiving_clerk, return_form=ReturnForm(),
        confirm_form=ConfirmForm(),
        letter_panel=letter_verification.document_panel(current_user, document) if content_visible else None,
        **(panel_context(current_user, document) if content_visible else {}))


@bp.post("/deliveries/<int:delivery_id>/register")
def register(delivery_id):
    delivery = _receiving_delivery_or_403(delivery_id)
    entry = commit_or_flash(lambda: handling.register_delivery(current_actor(delivery.to_unit_id), delivery),
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
    if not permissions.may_recall(current_user, delivery):
        abort(403)
    commit_or_flash(lambda: services.recall(current_actor(delivery.from_unit_id), delivery),
                    _l("The document was recalled."))
    return redirect(url_for("routing.sent_items"))


@bp.post("/documents/<int:document_id>/send")
def send(document_id):
    document = db.session.get(Document, document_id)
    if document is None or not access.can_see(current_user, document):
        abort(404)
    form = send_form()
    # the unit whose copy the sender acts for (the page says which); a form without one, the usual unit
    from_unit_id = form.from_unit_id.data or permissions.sending_unit_id(current_user, document)
    if from_unit_id is None or not permissions.may_send_from(current_user, document, from_unit_id):
        abort(403)
    if form.validate_on_submit():
        units = _recipients(form)
        commit_or_flash(lambda: handling.send_on(current_actor(from_unit_id), document,
                                                 from_unit=db.session.get(Unit, from_unit_id), to_units=units,
                                                 note=form.note.data), _l("The document was sent."))
    else:
        flash(str(_l("Choose at least one unit to send to.")), "danger")
    return redirect(url_for("documents.detail", document_id=document.id))


def send_form(document=None, from_unit=None):
    """The send form with its choices: every active unit, and the saved lists of the user's units. Shown for
    `document`, sent from `from_unit`, it starts with the units the letter names as recipients (เรียน)
    ticked, except those it is already waiting at (issue 14 item 6), and carries the unit it goes from."""
    form = SendForm()
    if document is not None and not form.is_submitted():
        from_unit_id = from_unit.id if from_unit else permissions.sending_unit_id(current_user, document)
        form.from_unit_id.data = from_unit_id
        form.to_unit_ids.data = queries.recipient_units_to_send_to(document, from_unit_id)
    form.to_unit_ids.choices = unit_picker_choices(current_locale())
    form.list_id.choices = [(NO_LIST, _l("— none —"))] + [
        (saved.id, saved.name) for saved in queries.distribution_lists(access.working_unit_ids(current_user))]
    return form


def _recipients(form):
    """The units chosen one by one, plus the members of the chosen list, each once."""
    chosen = {unit_id: db.session.get(Unit, unit_id) for unit_id in form.to_unit_ids.data}
    if form.list_id.data != NO_LIST:
        saved = db.session.get(DistributionList, form.list_id.data)
        chosen.update({member.unit_id: member.unit for member in saved.members})
    return list(chosen.values())


@bp.route("/distribution-lists", methods=["GET", "POST"])
def distribution_lists():
    """A unit's saved recipient lists, kept by its clerks (R8: one send to many units)."""
    unit = _own_clerk_unit()
    form = DistributionListForm()
    form.member_unit_ids.choices = unit_picker_choices(current_locale())
    if form.validate_on_submit():
        members = [db.session.get(Unit, unit_id) for unit_id in form.member_unit_ids.data]
        if commit_or_flash(lambda: services.save_distribution_list(
                current_actor(unit.id), unit=unit, name=form.name.data, member_units=members),
                _l("The list was saved.")):
            return redirect(url_for("routing.distribution_lists"))
    return render_template("routing/distribution_lists.html", form=form, unit=unit,
                           lists=queries.distribution_lists([unit.id], active_only=False), confirm_form=ConfirmForm())


@bp.post("/distribution-lists/<int:list_id>/active/<int:active>")
def set_distribution_list_active(list_id, active):
    unit = _own_clerk_unit()
    saved = db.session.get(DistributionList, list_id)
    if saved is None or saved.unit_id != unit.id:
        abort(404)
    commit_or_flash(lambda: services.set_distribution_list_active(current_actor(unit.id), saved, bool(active)))
    return redirect(url_for("routing.distribution_lists"))


def _own_clerk_unit():
    clerk_units = _clerk_unit_ids()
    if not clerk_units:
        abort(403)
    unit_id = current_user.unit_id if current_user.unit_id in clerk_units else min(clerk_units)
    return db.session.get(Unit, unit_id)


def _receiving_delivery_or_403(delivery_id):
    delivery = _delivery_or_404(delivery_id)
    if not permissions.may_receive(current_user, delivery):
        abort(403)
    return delivery
