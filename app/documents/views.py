"""Documents pages: register a paper letter, lists, detail with history, receipt stamp, and the actions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.attachments.queries import panel_context
from app.attachments.services import attach_files
from app.core import audit
from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import today_local
from app.core.web import commit_or_flash, current_actor, id_arg, page_arg
from app.documents import access, page, permissions, queries, services, todo
from app.documents.models import Category, DeliveryMethod, Document, DocumentType
from app.extensions import db
from app.followups.services import is_following
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.handling.views import ACTIONS as handling_actions
from app.handling.views import build_form as build_step_form
from app.handling.views import outgoing_form
from app.letters import verification as letter_verification
from app.letters import views as letter_views
from app.org.models import Unit
from app.org.queries import unit_picker_choices
from app.registry import queries as registry_queries
from app.registry import services as registry
from app.registry.labels import NUMBER_LABELS, STAMP_LABELS
from app.registry.models import RegisterEntry
from app.routing.queries import route_of
from app.routing.views import send_form
from forms.documents import NONE, DocumentForm, DueDateForm, PaperLetterForm, ReasonForm
from forms.routing import ReturnForm

bp = Blueprint("documents", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _visible_document_or_404(document_id):
    document = db.session.get(Document, document_id)
    if document is None or not access.can_see(current_user, document):
        abort(404)  # never reveal that a document of another unit exists
    return document


def _cleared_document_or_403(document_id):
    """A document whose content the user may read: visible, and for a classified one, cleared for it."""
    document = _visible_document_or_404(document_id)
    if not access.can_see_content(current_user, document):
        abort(403)
    return document


def _permitted_document_or_403(document_id, rule):
    """A document the user may see (else 404) and may do this to (`rule` of app.documents.permissions)."""
    document = _visible_document_or_404(document_id)
    if not rule(current_user, document):
        abort(403)
    return document


def _set_choices(form):
    locale = current_locale()
    form.type_id.choices = queries.document_type_form_choices(locale)
    if not form.is_submitted():
        queries.apply_type_defaults(form)
    form.category_id.choices = [(NONE, _l("— none —"))] + queries.category_choices(locale)
    form.delivery_method_id.choices = [(NONE, _l("— none —"))] + queries.delivery_method_choices(locale)
    form.recipient_unit_ids.choices = unit_picker_choices(locale)


def _details_from(form):
    due = services.due_date_from(on_date=form.due_date.data, days=form.due_days.data, start=today_local())
    return services.DocumentDetails(
        type=db.session.get(DocumentType, form.type_id.data), subject=form.subject.data,
        doc_number=form.doc_number.data, dated=form.dated.data, addressed_to=form.addressed_to.data,
        from_text=form.from_text.data, reference=form.reference.data, enclosures=form.enclosures.data,
        category=db.session.get(Category, form.category_id.data) if form.category_id.data else None,
        delivery_method=(db.session.get(DeliveryMethod, form.delivery_method_id.data)
                         if form.delivery_method_id.data else None),
        secrecy=form.secrecy.data, speed=form.speed.data, due_date=due, note=form.note.data,
        recipient_units=[db.session.get(Unit, unit_id) for unit_id in form.recipient_unit_ids.data or []],
        recipient_texts=form.recipient_texts.data.splitlines())


@bp.get("/documents")
def index():
    year_arg = request.args.get("year", "")
    year = None if year_arg == "all" else int(year_arg) if year_arg.isdigit() and len(year_arg) <= 4 \
        else today_local().year
    page = page_arg(request.args)
    listed, total = queries.documents_for(current_user, year=year, page=page)
    this_year = today_local().year
    return render_template("documents/index.html", listed=listed, total=total, year=year, page=page,
                           page_size=queries.PAGE_SIZE, years=range(this_year, this_year - 11, -1))


@bp.route("/documents/receive", methods=["GET", "POST"])
def receive_paper_letter():
    units = queries.clerk_units(current_user)
    if not units:
        abort(403)
    form = PaperLetterForm()
    _set_choices(form)
    form.unit_id.choices = [(unit.id, unit.name(current_locale())) for unit in units]
    if form.validate_on_submit():
        unit = next(u for u in units if u.id == form.unit_id.data)
        result = commit_or_flash(lambda: _register_with_files(unit, form),
                                 _l("The letter was registered."))
        if result:
            document, entry = result
            return redirect(url_for("documents.receipt", document_id=document.id, entry_id=entry.id))
    return render_template("documents/receive.html", form=form)


def _register_with_files(unit, form):
    actor = current_actor(for_unit_id=unit.id)
    document, entry = handling.receive_paper_letter(actor, unit=unit, details=_details_from(form))
    uploads = [(upload.filename, upload.stream) for upload in form.files.data or [] if upload and upload.filename]
    if uploads:
        attach_files(actor, document, unit=unit, files=uploads)
    return document, entry


@bp.route("/documents/new", methods=["GET", "POST"])
def new_document():
    form = DocumentForm()
    _set_choices(form)
    if form.validate_on_submit():
        document = commit_or_flash(lambda: services.create_document(
            current_actor(), owner_unit=current_user.unit, details=_details_from(form)),
            _l("The document was saved as a draft."))
        if document:
            return redirect(url_for("documents.detail", document_id=document.id))
    return render_template("documents/new.html", form=form)


@bp.get("/documents/<int:document_id>")
def detail(document_id):
    document = _visible_document_or_404(document_id)
    content_visible = access.can_see_content(current_user, document)
    if content_visible and document.is_classified:
        audit.record(current_actor(), "document.read_classified", "document", document.id)
        db.session.commit()
    user = current_user._get_current_object()
    entries, route, is_draft = registry_queries.entries_of_document(document), route_of(document), \
        queries.is_draft(document)
    handlings = handling_queries.handlings_of(document, user, access.working_unit_ids(user)) \
        if content_visible else []
    to_do = todo.to_do(user, document, route=route, handlings=handlings, entries=entries, is_draft=is_draft,
                       may_take_send_number=queries.may_take_send_number(document),
                       for_unit_id=id_arg(request.args, "unit"))
    return render_template(
        "documents/detail.html", document=document, content_visible=content_visible, entries=entries,
        timeline=page.latest_of(queries.timeline(document), page.TIMELINE_SHOWN), is_draft=is_draft,
        route=route, to_do=to_do,
        forms=_forms_for(document, [to_do.primary, *to_do.others] if to_do.primary else to_do.others),
        handlings=[(handling, handling_queries.open_task(handling),
                    page.latest_of(handling.notes, page.NOTES_SHOWN)) for handling in handlings],
        stamp_names=STAMP_LABELS, following=is_following(user, document),
        letter_panel=letter_verification.document_panel(user, document) if content_visible else None,
        **(letter_views.endorsement_context(user, handlings) if content_visible else {}),
        **_attachments_panel(document, content_visible))


def _forms_for(document, offers):
    """The form of each action offered, by the offer's key."""
    forms = {}
    for offer in offers:
        if offer.handling is not None and offer.action in handling_actions:
            forms[offer.key] = build_step_form(handling_actions[offer.action].form, offer.handling, offer.action)
        elif offer.action in _DOCUMENT_FORMS:
            forms[offer.key] = _DOCUMENT_FORMS[offer.action](document, offer)
    return forms


def _cancel_form(document, offer):
    form = ReasonForm()
    # the due date's form has a "reason" too: one id per box, so each label names its own
    form.reason.id = form.reason.label.field_id = f"cancel-{offer.entry.id}-reason"
    return form


_DOCUMENT_FORMS = {
    "send": lambda document, offer: send_form(document, offer.from_unit),
    "return": lambda document, offer: ReturnForm(),
    "propose-outgoing": lambda document, offer: outgoing_form(document),
    "due-date": lambda document, offer: DueDateForm(),
    "cancel-number": _cancel_form,
}


def _attachments_panel(document, content_visible):
    if not content_visible:
        return {}
    panel = panel_context(current_user, document)
    return {**panel, "attachment_fold": page.newest_first(panel["attachment_rows"], page.FILES_SHOWN)}


@bp.get("/documents/<int:document_id>/route")
def route(document_id):
    """R29: only the unit-to-unit send and receive records of a document, start to end."""
    document = _visible_document_or_404(document_id)
    return render_template("documents/route.html", document=document, route=route_of(document),
                           content_visible=access.can_see_content(current_user, document))


@bp.get("/documents/<int:document_id>/receipt/<int:entry_id>")
def receipt(document_id, entry_id):
    """The receipt stamp (เลขรับ, วันที่, เวลา) to show and print."""
    document = _cleared_document_or_403(document_id)
    entry = db.session.get(RegisterEntry, entry_id)
    if entry is None or entry.document_id != document.id:
        abort(404)
    direction = entry.register.direction
    return render_template("documents/receipt.html", document=document, entry=entry,
                           registration=entry.registrations[-1], stamp_title=STAMP_LABELS[direction],
                           number_label=NUMBER_LABELS[direction])


@bp.post("/documents/<int:document_id>/due-date")
def change_due_date(document_id):
    document = _permitted_document_or_403(document_id, permissions.may_change_due_date)
    form = DueDateForm()
    if form.validate_on_submit():
        def change():
            new_due_date = services.due_date_from(on_date=form.new_due_date.data, days=form.due_days.data,
                                                  start=today_local())
            actor = current_actor(document.owner_unit_id)
            return services.change_due_date(actor, document, new_due_date=new_due_date, reason=form.reason.data)

        commit_or_flash(change, _l("The due date was changed."))
    else:
        flash(str(_l("Give the new due date and the reason.")), "danger")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/delete")
def delete_draft(document_id):
    document = _permitted_document_or_403(document_id, permissions.may_delete_draft)
    if commit_or_flash(lambda: services.delete_draft(current_actor(document.owner_unit_id), document),
                       _l("The draft was deleted.")):
        return redirect(url_for("documents.index"))
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/send-number")
def issue_send_number(document_id):
    document = _permitted_document_or_403(document_id, permissions.may_issue_send_number)
    commit_or_flash(lambda: services.issue_send_number(current_actor(document.owner_unit_id), document),
                    _l("The document number was issued."))
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/entries/<int:entry_id>/cancel")
def cancel_number(document_id, entry_id):
    document = _visible_document_or_404(document_id)
    entry = db.session.get(RegisterEntry, entry_id)
    if entry is None or entry.document_id != document.id:
        abort(404)
    if not permissions.may_cancel_entry(current_user, entry):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        actor = current_actor(entry.register.unit_id)
        commit_or_flash(lambda: registry.cancel_number(actor, entry, form.reason.data),
                        _l("The number was cancelled; it stays in the register."))
    else:
        flash(str(_l("Give the reason for cancelling the number.")), "danger")
    return redirect(url_for("documents.detail", document_id=document.id))


def init_app(app):
    @app.context_processor
    def can_receive_letters():
        registers = current_user.is_authenticated and bool(queries.clerk_units(current_user))
        return {"can_register_letters": registers}
