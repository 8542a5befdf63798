"""Admin pages for the lone IT officer: the org chart, users, and acting-for."""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.auth.services import reset_password
from app.core.decorators import admin_required
from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.web import commit_or_flash, current_actor, id_arg
from app.extensions import db
from app.org import queries, services
from app.org.models import Delegation, Unit, User
from forms.org import DelegationForm, NewUserForm, UnitEditForm, UnitForm, UnitMoveForm, UserForm

bp = Blueprint("admin", __name__)
NO_PARENT = 0


@bp.before_request
@admin_required
def only_admins():
    return None


def _get_or_404(model, object_id):
    return db.session.get(model, object_id) or abort(404)


# ---- units -------------------------------------------------------------------------------------------

@bp.get("/")
def index():
    return redirect(url_for("admin.units"))


@bp.get("/units")
def units():
    return render_template("admin/units.html", tree=queries.unit_tree())


@bp.route("/units/new", methods=["GET", "POST"])
def new_unit():
    form = UnitForm(parent_id=id_arg(request.args, "parent", NO_PARENT))
    form.parent_id.choices = [(NO_PARENT, _l("— top level —"))] + queries.unit_choices(current_locale())
    if form.validate_on_submit():
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        unit = commit_or_flash(lambda: services.create_unit(
            current_actor(), code=form.code.data, kind=form.kind.data, name_th=form.name_th.data,
            name_en=form.name_en.data, letter_code=form.letter_code.data, parent=parent),
            _l("The unit was added."))
        if unit:
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_new.html", form=form)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(unit_id):
    unit = _get_or_404(Unit, unit_id)
    form = UnitEditForm(obj=unit)
    move_form = _move_form(unit)
    if form.validate_on_submit():
        if commit_or_flash(lambda: services.update_unit(
                current_actor(), unit, name_th=form.name_th.data, name_en=form.name_en.data,
                letter_code=form.letter_code.data, kind=form.kind.data), _l("The unit was saved.")):
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_edit.html", unit=unit, form=form, move_form=move_form,
                           user_count=queries.users_in_unit_count(unit))


@bp.post("/units/<int:unit_id>/move")
def move_unit(unit_id):
    unit = _get_or_404(Unit, unit_id)
    form = _move_form(unit)
    if form.validate_on_submit():
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        commit_or_flash(lambda: services.move_unit(current_actor(), unit, parent), _l("The unit was moved."))
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/active/<int:active>")
def set_unit_active(unit_id, active):
    unit = _get_or_404(Unit, unit_id)
    message = _l("The unit was reactivated.") if active else _l("The unit was deactivated.")
    commit_or_flash(lambda: services.set_unit_active(current_actor(), unit, bool(active)), message)
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))


def _move_form(unit):
    excluded = queries.subtree_ids(unit)
    form = UnitMoveForm(parent_id=unit.parent_id or NO_PARENT)
    form.parent_id.choices = [(NO_PARENT, _l("— top level —"))] + [
        choice for choice in queries.unit_choices(current_locale()) if choice[0] not in excluded]
    return form


# ---- users -------------------------------------------------------------------------------------------

@bp.get("/users")
def users():
    text = request.args.get("q", "").strip()
    unit_id = id_arg(request.args, "unit")
    include_inactive = request.args.get("inactive") == "1"
    found = queries.search_users(text=text, unit_id=unit_id, include_inactive=include_inactive)
    return render_template("admin/users.html", users=found, text=text, unit_id=unit_id,
                           include_inactive=include_inactive, unit_choices=queries.unit_choices(current_locale()))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm(unit_id=id_arg(request.args, "unit"))
    form.unit_id.choices = queries.unit_choices(current_locale())
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        user = commit_or_flash(lambda: services.create_user(
            current_actor(), username=form.username.data, full_name_th=form.full_name_th.data,
            full_name_en=form.full_name_en.data, position_title=form.position_title.data,
            email=form.email.data, unit=unit, roles=form.role_pairs(), password=form.password.data),
            _l("The user was added. They must change the password at the first login."))
        if user:
            return redirect(url_for("admin.users", unit=unit.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = _get_or_404(User, user_id)
    held = {r.role: r.level for r in user.roles}
    form = UserForm(obj=user, roles=list(held), manager_level=held.get("manager") or "")
    form.unit_id.choices = queries.unit_choices(current_locale())
    if user.unit_id not in dict(form.unit_id.choices):  # an inactive unit is still shown as current
        form.unit_id.choices.insert(0, (user.unit_id, user.unit.name(current_locale())))
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if commit_or_flash(lambda: services.update_user(
                current_actor(), user, full_name_th=form.full_name_th.data, full_name_en=form.full_name_en.data,
                position_title=form.position_title.data, email=form.email.data, unit=unit,
                roles=form.role_pairs()), _l("The user was saved.")):
            return redirect(url_for("admin.users", unit=unit.id))
    return render_template("admin/user_edit.html", user=user, form=form)


@bp.post("/users/<int:user_id>/active/<int:active>")
def set_user_active(user_id, active):
    user = _get_or_404(User, user_id)
    message = _l("The account was reactivated.") if active else _l("The account was deactivated.")
    commit_or_flash(lambda: services.set_user_active(current_actor(), user, bool(active)), message)
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-password")
def reset_user_password(user_id):
    user = _get_or_404(User, user_id)
    temporary = reset_password(current_actor(), user)
    db.session.commit()
    return render_template("admin/password_reset.html", user=user, temporary=temporary)


# ---- acting for --------------------------------------------------------------------------------------

@bp.route("/delegations", methods=["GET", "POST"])
def delegations():
    form = DelegationForm()
    form.principal_id.choices = form.deputy_id.choices = queries.user_choices(current_locale())
    if form.validate_on_submit():
        principal = db.session.get(User, form.principal_id.data)
        deputy = db.session.get(User, form.deputy_id.data)
        if commit_or_flash(lambda: services.add_delegation(
                current_actor(), principal=principal, deputy=deputy, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, note=form.note.data), _l("The acting assignment was saved.")):
            return redirect(url_for("admin.delegations"))
    show_past = request.args.get("past") == "1"
    return render_template("admin/delegations.html", form=form, show_past=show_past,
                           delegations=queries.delegations(include_past=show_past))


@bp.post("/delegations/<int:delegation_id>/revoke")
def revoke_delegation(delegation_id):
    delegation = _get_or_404(Delegation, delegation_id)
    commit_or_flash(lambda: services.revoke_delegation(current_actor(), delegation),
                    _l("The acting assignment was ended."))
    return redirect(url_for("admin.delegations"))
