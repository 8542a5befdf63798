"""Letter pages: write a new letter of a kind (or from a template), revise it, see the PDF and what
changed between revisions, keep it as a template."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.attachments.storage import file_store
from app.core.decorators import admin_required
from app.core.i18n import current_locale
from app.core.security import FRAMED_BY_OWN_PAGES
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor, id_arg
from app.documents import access, permissions
from app.documents import queries as document_queries
from app.documents.models import DocumentType
from app.extensions import db
from app.handling.models import HandlingNote
from app.letters import endorsements, kinds, queries, render, services, verification
from app.letters.kinds import Field, LetterKind
from app.letters.models import Letter, LetterTemplate
from app.org.models import Unit
from app.org.queries import signing_chain, unit_choices, unit_picker_choices
from forms.letters import EndorseCopyForm, LetterForm, NewLetterForm, TemplateForm

bp = Blueprint("letters", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _letter_or_404(letter_id):
    letter = db.session.get(Letter, letter_id)
    if letter is None or not access.can_see(current_user, letter.document):
        abort(404)
    if not access.can_see_content(current_user, letter.document):
        abort(403)
    return letter


@bp.route("/letters/new", methods=["GET", "POST"])
def new():
    kind = request.args.get("kind", LetterKind.MEMO)
    if kind not in {k.value for k in LetterKind}:
        abort(404)
    form = NewLetterForm(kind=kind, **(_defaults(kind) if request.method == "GET" else {}))
    _set_choices(form)
    template = _template_from_args()
    if template is not None and request.method == "GET":
        _fill_from(form, template.kind, template.subject, template.fields)
        kind = template.kind
    if request.method == "GET" and (default_type := queries.default_type_for(kind)) is not None:
        form.type_id.data = default_type.id
    if form.validate_on_submit():
        result = commit_or_flash(lambda: services.start_letter(
            current_actor(), owner_unit=current_user.unit,
            document_type=db.session.get(DocumentType, form.type_id.data), draft=_draft(form)),
            _l("The letter was saved as a draft."))
        if result:
            return redirect(url_for("letters.edit", letter_id=result[0].id))
    return render_template("letters/edit.html", form=form, kind=form.kind.data or kind, spec=kinds.spec(
        form.kind.data or kind), letter=None, kinds=kinds.KINDS, templates=queries.templates_for(
        access.working_unit_ids(current_user)), Field=Field)


@bp.route("/letters/<int:letter_id>", methods=["GET", "POST"])
def edit(letter_id):
    letter = _letter_or_404(letter_id)
    revision = letter.current
    form = LetterForm(**(_revision_values(letter, revision) if request.method == "GET" else {}))
    _set_choices(form, letter)
    editable = _editable(letter)
    correcting = letter.signed_revision is not None
    if correcting:
        form.comment.label.text = _l("What is corrected, and why (required)")
    if editable and form.validate_on_submit():
        seen = int(form.seen_revision.data) if (form.seen_revision.data or "").isdigit() else None
        draft = _draft(form, routing_of=letter.document if correcting else None)
        saved = commit_or_flash(lambda: services.revise(current_actor(), letter, draft=draft,
                                                        comment=form.comment.data, seen_revision=seen),
                                _l("The correction was saved; propose it for signature from the document "
                                   "page.") if correcting else _l("The letter was saved."))
        if saved:
            return redirect(url_for("letters.edit", letter_id=letter.id))
    previous = letter.revisions[-2] if len(letter.revisions) > 1 else None
    return render_template(
        "letters/edit.html", form=form, kind=form.kind.data, spec=kinds.spec(form.kind.data or revision.kind),
        letter=letter, editable=editable, correcting=correcting, kinds=kinds.KINDS, Field=Field, templates=[],
        awaited_cosigners=queries.awaited_cosigners(revision) if revision.is_signed else [],
        changes=queries.changes(previous, revision) if previous else [], template_form=_template_form())


@bp.get("/letters/<int:letter_id>/letter.pdf")
def pdf(letter_id):
    """A revision as it would print now (a draft), or the very file its signer signed."""
    letter = _letter_or_404(letter_id)
    number = id_arg(request.args, "revision")
    revision = next((r for r in letter.revisions if r.number == number), letter.current)
    if revision.is_signed:
        data = file_store().path_for(revision.signed_attachment.sha256).read_bytes()
    else:
        data = render.render_pdf(queries.content_for(letter, revision), queries.letterhead())
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="letter-{letter.document_id}-r{revision.number}.pdf"',
        "Cache-Control": "no-store", **FRAMED_BY_OWN_PAGES})


@bp.get("/letters/<int:letter_id>/changes/<int:number>")
def changes(letter_id, number):
    letter = _letter_or_404(letter_id)
    by_number = {r.number: r for r in letter.revisions}
    if number not in by_number or number - 1 not in by_number:
        abort(404)
    return render_template("letters/changes.html", letter=letter, before=by_number[number - 1],
                           after=by_number[number], changes=queries.changes(by_number[number - 1], by_number[number]))


@bp.post("/letters/<int:letter_id>/template")
@admin_required
def save_template(letter_id):
    letter = _letter_or_404(letter_id)
    form = _template_form()
    if form.validate_on_submit():
        commit_or_flash(lambda: services.save_template(
            current_actor(), letter, unit=db.session.get(Unit, form.unit_id.data) or abort(400),
            name=form.name.data), _l("The template was saved."))
    return redirect(url_for("letters.edit", letter_id=letter.id))


@bp.post("/notes/<int:note_id>/endorse")
def endorse(note_id):
    """เกษียนหนังสือ: the manager's instruction stamped and signed on a copy of the letter's first page."""
    note = db.session.get(HandlingNote, note_id)
    if note is None or not access.can_see(current_user, note.handling.document):
        abort(404)
    if not access.can_see_content(current_user, note.handling.document):
        abort(403)
    form = endorse_form(note)
    if form.validate_on_submit():
        actor = current_actor(note.handling.unit_id, for_user_id=note.author_id)
        commit_or_flash(lambda: endorsements.endorse_copy(actor, note.handling, note, pin=form.pin.data),
                        _l("The instruction was stamped on a signed copy of the first page."))
    else:
        flash(str(next(iter(form.errors.values()))[0]), "danger")
    return redirect(url_for("documents.detail", document_id=note.handling.document_id, _anchor=f"note-{note.id}"))


def endorse_form(note):
    return EndorseCopyForm(prefix=f"endorse-{note.id}")


def endorsement_context(user, handlings):
    """For the document page: the stamping form of each note `user` may stamp now, and the signatures of
    each stamped copy, checked now; both by note id."""
    notes = [note for handling in handlings for note in handling.notes]
    return {"endorse_forms": {note.id: endorse_form(note) for note in notes
                              if endorsements.may_endorse(user, note)},
            "endorse_reports": {note.id: verification.attachment_report(note.stamped_attachment)
                                for note in notes if note.stamped_attachment_id is not None}}


# --- helpers ------------------------------------------------------------------------------------------------

def _editable(letter):
    """The author may change it now: a draft, a letter sent back, or a signed letter to correct."""
    return permissions.may_write_letter(current_user, letter.document) and services.may_revise_now(letter)


def _template_form():
    form = TemplateForm()
    form.unit_id.choices = unit_choices(current_locale())
    return form


def _template_from_args():
    template_id = id_arg(request.args, "template")
    if template_id is None:
        return None
    template = db.session.get(LetterTemplate, template_id)
    if template is None or template.unit_id not in access.working_unit_ids(current_user):
        abort(404)
    return template


def _set_choices(form, letter=None):
    locale = current_locale()
    if hasattr(form, "type_id"):  # a new letter
        form.type_id.choices = document_queries.document_type_form_choices(locale)
        if not form.is_submitted():
            document_queries.apply_type_defaults(form)
    form.recipient_unit_ids.choices = unit_picker_choices(locale)
    form.cosigners.choices = [(user.id, user.name_with_position(locale)) for user in queries.cosigner_choices(
        letter.current.cosigner_ids if letter is not None else ())]


def _defaults(kind):
    """What a new letter starts with: the organisation's contact details and the top of the signing chain."""
    letterhead, unit = queries.letterhead(), current_user.unit
    chain = signing_chain(unit)
    signer = chain[-1] if chain else None
    values = {"contact_unit": queries.content_unit_name(unit), "contact_phone": letterhead.phone,
              "contact_fax": letterhead.fax, "contact_email": letterhead.email,
              "closing": kinds.spec(kind).closing}
    if signer is not None:
        values.update(signer_name=signer.full_name_th, signer_position=signer.position_title)
    return values


def _fill_from(form, kind, subject, fields):
    form.kind.data, form.subject.data = kind, subject
    for name, value in fields.items():
        if hasattr(form, name):
            getattr(form, name).data = value


def _revision_values(letter, revision):
    document = letter.document
    values = {"kind": revision.kind, "circular": revision.circular, "subject": revision.subject,
              "speed": document.speed, "secrecy": document.secrecy, "seen_revision": str(revision.number),
              "recipient_unit_ids": [r.unit_id for r in document.recipients if r.unit_id is not None],
              "recipient_texts": "\n".join(r.name_text for r in document.recipients if r.unit_id is None)}
    values.update(revision.fields)
    return values


def _draft(form, routing_of=None):
    """What the author typed. A correction's form does not offer where the letter goes, its speed or its
    secrecy: those stay `routing_of`'s (the document's)."""
    draft = services.LetterDraft(
        kind=form.kind.data, subject=form.subject.data, fields=form.letter_fields(), circular=form.circular.data,
        speed=form.speed.data, secrecy=form.secrecy.data,
        recipient_units=[db.session.get(Unit, unit_id) for unit_id in form.recipient_unit_ids.data or []],
        recipient_texts=(form.recipient_texts.data or "").splitlines(), cosigner_ids=form.cosigners.data or [])
    if routing_of is not None:
        draft.speed, draft.secrecy = routing_of.speed, routing_of.secrecy
        draft.recipient_units = [r.unit for r in routing_of.recipients if r.unit_id is not None]
        draft.recipient_texts = [r.name_text for r in routing_of.recipients if r.unit_id is None]
    return draft
