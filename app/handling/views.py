"""Work inside a unit and signing: the actions on a document's handling, the panel on the document page,
and the managers' "awaiting my signature" list (R7), where they sign without opening each document."""
from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor
from app.documents import access, permissions
from app.documents.models import Document
from app.extensions import db
from app.handling import queries, services
from app.handling.models import Handling
from app.letters import queries as letter_queries
from app.org.models import Unit, User
from app.org.queries import subtree_ids, unit_picker_choices
from forms.handling import (
    ANY_MANAGER, AssignForm, CloseForm, CosignForm, DeclineCosignForm, DoneForm, EndorseForm, ForwardForm,
    LetterSignForm, ProgressForm, ProposeForm, SendBackForm, SignForm, ToManagerForm, WithdrawForm)

bp = Blueprint("handling", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _user(user_id):
    return db.session.get(User, user_id) if user_id else None


@dataclass(frozen=True)
class Action:
    form: type
    run: object      # (actor, handling, form) -> result
    done: object     # the message shown after it


ACTIONS = {
    "to-manager": Action(ToManagerForm, lambda actor, h, f: services.to_manager(
        actor, h, manager=_user(f.manager_id.data), note=f.note.data), _l("Sent to the manager.")),
    "assign": Action(AssignForm, lambda actor, h, f: services.assign(
        actor, h, operator=_user(f.operator_id.data), instruction=f.instruction.data), _l("The work was assigned.")),
    "close": Action(CloseForm, lambda actor, h, f: services.close(actor, h, f.note.data),
                    _l("The work was closed.")),
    "forward": Action(ForwardForm, lambda actor, h, f: services.forward(
        actor, h, to_units=[db.session.get(Unit, unit_id) for unit_id in f.to_unit_ids.data], note=f.note.data),
        _l("The document was forwarded.")),
    "progress": Action(ProgressForm, lambda actor, h, f: services.report_progress(
        actor, h, text=f.text.data, percent_done=f.percent_done.data), _l("Progress recorded.")),
    "propose": Action(ProposeForm, lambda actor, h, f: services.propose(
        actor, h, reviewer=_user(f.reviewer_id.data), text=f.text.data), _l("Proposed for signature.")),
    "done": Action(DoneForm, lambda actor, h, f: services.finish_work(actor, h, f.text.data),
                   _l("The work is marked finished.")),
    "resubmit": Action(ProposeForm, lambda actor, h, f: services.resubmit(
        actor, h, reviewer=_user(f.reviewer_id.data), text=f.text.data), _l("Proposed for signature.")),
    "withdraw": Action(WithdrawForm, lambda actor, h, f: services.withdraw(actor, h, f.text.data),
                       _l("The proposal was withdrawn.")),
    "endorse": Action(EndorseForm, lambda actor, h, f: services.endorse(
        actor, h, next_reviewer=_user(f.reviewer_id.data), comment=f.comment.data), _l("Passed up the chain.")),
    "sign": Action(SignForm, lambda actor, h, f: services.sign(
        actor, h, f.comment.data, pin=getattr(f, "pin", None) and f.pin.data,
        seen_revision=_seen_revision(f)), _l("Signed.")),
    "send-back": Action(SendBackForm, lambda actor, h, f: services.send_back(actor, h, f.comment.data),
                        _l("Sent back with your comment.")),
    "cosign": Action(CosignForm, lambda actor, h, f: services.cosign(actor, h, f.comment.data, pin=f.pin.data),
                     _l("Co-signed.")),
    "decline-cosign": Action(DeclineCosignForm, lambda actor, h, f: services.decline_cosign(
        actor, h, f.comment.data), _l("Sent back to the proposer with your reason.")),
}


@bp.post("/handlings/<int:handling_id>/<action>")
def act(handling_id, action):
    handling = db.session.get(Handling, handling_id)
    step = ACTIONS.get(action)
    if handling is None or step is None or not access.can_see(current_user, handling.document):
        abort(404)
    if queries.open_task(handling) is not None and not permissions.may_take_step(current_user, handling):
        abort(403)  # with no open step left, the service says in words that it has been taken
    form = build_form(step.form, handling, action)
    if form.validate_on_submit():
        task = queries.open_task(handling)
        actor = current_actor(handling.unit_id, for_user_id=task.assignee_id if task else None)
        commit_or_flash(lambda: step.run(actor, handling, form), step.done)
    else:
        flash(str(_first_error(form)), "danger")
    if request.form.get("back") == "signatures":
        return redirect(url_for("handling.signatures"))
    return redirect(url_for("documents.detail", document_id=handling.document_id))


@bp.post("/documents/<int:document_id>/propose")
def propose_outgoing(document_id):
    """Flow 3: the owning unit proposes its prepared letter for signature."""
    document = db.session.get(Document, document_id)
    if document is None or not access.can_see(current_user, document):
        abort(404)
    if not permissions.may_propose_outgoing(current_user, document):
        abort(403)
    form = ProposeForm(prefix="outgoing")
    _set_reviewers(form, document.owner_unit)
    if form.validate_on_submit():
        commit_or_flash(lambda: services.propose_outgoing(
            current_actor(document.owner_unit_id), document, unit=document.owner_unit,
            reviewer=_user(form.reviewer_id.data), text=form.text.data), _l("Proposed for signature."))
    else:
        flash(str(_first_error(form)), "danger")
    return redirect(url_for("documents.detail", document_id=document.id))


# The signature list's buttons: label and style of each step's actions (handling.queries.step_actions).
LIST_BUTTONS = {
    "sign": (_l("Sign"), "btn-success"), "endorse": (_l("Endorse and pass up"), "btn-outline-primary"),
    "send-back": (_l("Send back"), "btn-outline-danger"), "cosign": (_l("Co-sign"), "btn-success"),
    "decline-cosign": (_l("Do not co-sign: send back"), "btn-outline-danger"),
}


@bp.get("/signatures")
def signatures():
    """Awaiting my signature: sign, pass up or send back from the list."""
    rows = queries.awaiting_signature(current_user)
    letters = letter_queries.letters_of([handling.document_id for _, handling in rows])
    return render_template("handling/signatures.html", buttons=LIST_BUTTONS, rows=[
        (task, handling, access.can_see_content(current_user, handling.document),
         letters.get(handling.document_id),
         {name: build_form(ACTIONS[name].form, handling, name, letters=letters)
          for name in queries.step_actions(task)})
        for task, handling in rows])


def build_form(form_class, handling, action, *, letters=None):
    """A step's form with the choices it needs for this handling's unit. Field names carry the action and
    the handling, so many forms can share a page (the signature list) without clashing ids. `letters`
    (by document id, from letters_of) saves a page of many forms a query per form."""
    prefix = f"{action}-{handling.id}"
    letter = None
    if form_class is SignForm:
        letter = letters.get(handling.document_id) if letters is not None else \
            letter_queries.letter_of(handling.document)
    form_class = LetterSignForm if letter is not None else form_class
    form = form_class(formdata=None, prefix=prefix) if request.method == "GET" else form_class(prefix=prefix)
    if letter is not None:
        form.letter = letter
        if request.method == "GET":
            form.seen_revision.data = str(letter.current.number)
    if hasattr(form, "operator_id"):
        form.operator_id.choices = [(user.id, _person(user)) for user in queries.operator_choices(handling.unit)]
    if hasattr(form, "reviewer_id"):
        _set_reviewers(form, handling.unit)
    if hasattr(form, "manager_id"):
        form.manager_id.choices = [(ANY_MANAGER, _l("Any manager of the unit"))] + [
            (user.id, _person(user)) for user in queries.unit_managers(handling.unit)]
    if hasattr(form, "to_unit_ids"):
        form.to_unit_ids.choices = unit_picker_choices(current_locale())
    return form


def _set_reviewers(form, unit):
    """The managers up the chain from the user's own place in the unit (an operator's section head first),
    the next one above the user chosen."""
    choices, following = _reviewers_from(unit.id)
    form.reviewer_id.choices = choices
    if request.method == "GET":
        form.reviewer_id.data = following.id if following else None


def _reviewers_from(unit_id):
    """(choices, the next manager) for forms of this unit, worked out once per request: the "To sign" list
    shows three forms on every row."""
    cache = g.setdefault("reviewers_by_unit", {})
    if unit_id not in cache:
        unit = db.session.get(Unit, unit_id)
        start = current_user.unit if current_user.unit_id in subtree_ids(unit) else unit
        cache[unit_id] = ([(user.id, _person(user))
                           for user in queries.reviewer_choices(start, exclude_user_id=current_user.id)],
                          queries.next_reviewer(start, current_user.id))
    return cache[unit_id]


def _seen_revision(form):
    value = getattr(form, "seen_revision", None)
    return int(value.data) if value is not None and (value.data or "").isdigit() else None


def _person(user):
    return user.name_with_position(current_locale())


def _first_error(form):
    for errors in form.errors.values():
        for error in errors:
            return error
    return _l("Check the form and try again.")


def outgoing_form(document):
    """The proposal form of a prepared letter of the user's unit (flow 3)."""
    form = ProposeForm(formdata=None, prefix="outgoing")
    _set_reviewers(form, document.owner_unit)
    return form
