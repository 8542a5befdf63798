"""Admin pages for the document lists (R9, R21) and the units' registers (R24), on the admin blueprint."""
from flask import abort, redirect, render_template, request, url_for

from app.admin.views import bp
from app.core.i18n import current_locale
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.thai_dates import BUDDHIST_ERA_OFFSET
from app.core.web import commit_or_flash, current_actor, id_arg
from app.documents import lists
from app.documents.models import Category, DeliveryMethod, DocumentType
from app.extensions import db
from app.org.models import Unit
from app.org.queries import unit_choices
from app.registry import queries as registry_queries
from app.registry import services as registry
from app.registry.labels import DIRECTION_LABELS
from app.registry.models import Register
from app.workflow import definitions
from forms.settings import (NONE, CategoryForm, DeliveryMethodForm, DocumentTypeFlowsForm, DocumentTypeForm,
                            ListItemForm, RegisterEditForm, RegisterForm, StartingNumberForm)


def _get_or_404(model, object_id):
    return db.session.get(model, object_id) or abort(404)


# ---- the three lists: each page has an add form and a rename/reorder form per row --------------------

def _row_form(item, **kwargs):
    """Each row's form has its own prefix, so field ids stay unique on the page."""
    return ListItemForm(prefix=f"item{item.id}", **kwargs)


def _row_forms(rows, failed_row=None):
    """`failed_row` is (item id, form): that row shows the form with its errors."""
    forms = {row.id: _row_form(row, obj=row, formdata=None) for row in rows}
    if failed_row:
        item_id, form = failed_row
        forms[item_id] = form
    return forms


def _row_saved(item, form):
    """False when the form has mistakes; a broken rule is flashed by commit_or_flash."""
    if not form.validate_on_submit():
        return False
    commit_or_flash(lambda: lists.update_list_item(
        current_actor(), item, name_th=form.name_th.data, name_en=form.name_en.data,
        sort_order=form.sort_order.data), _l("The changes were saved."))
    return True


def _set_row_active(item, active, endpoint):
    message = _l("It was reactivated.") if active else _l(
        "It was deactivated; documents that use it keep it.")
    commit_or_flash(lambda: lists.set_list_item_active(current_actor(), item, bool(active)), message)
    return redirect(url_for(endpoint))


# ---- document types ----------------------------------------------------------------------------------

@bp.route("/document-types", methods=["GET", "POST"])
def document_types():
    form = DocumentTypeForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: lists.create_document_type(
                current_actor(), code=form.code.data, group=form.group.data, name_th=form.name_th.data,
                name_en=form.name_en.data), _l("The document type was added.")):
            return redirect(url_for("admin.document_types"))
    return _document_types_page(form)


@bp.post("/document-types/<int:item_id>")
def edit_document_type(item_id):
    item = _get_or_404(DocumentType, item_id)
    form = _row_form(item)
    if _row_saved(item, form):
        return redirect(url_for("admin.document_types"))
    return _document_types_page(DocumentTypeForm(formdata=None), failed_row=(item.id, form))


@bp.route("/document-types/<int:item_id>/flows", methods=["GET", "POST"])
def document_type_flows(item_id):
    """What the type's new documents start with and which flow each stage follows (issue 16 item 2)."""
    item = _get_or_404(DocumentType, item_id)
    form = DocumentTypeFlowsForm(obj=item)
    for select in (form.delivery_flow, form.handling_flow, form.outgoing_flow):
        select.choices = [(key, key) for key in definitions.keys()]
    if form.validate_on_submit():
        if commit_or_flash(lambda: _save_document_type_settings(item, form),
                           _l("Saved: new documents of this type start with these values and follow these "
                              "flows; those under way keep theirs.")):
            return redirect(url_for("admin.document_types"))
    return render_template("admin/document_type_flows.html", item=item, form=form, series=lists.series_of(item))


def _save_document_type_settings(item, form):
    actor = current_actor()
    lists.set_document_type_defaults(actor, item, speed=form.default_speed.data,
                                     secrecy=form.default_secrecy.data, due_days=form.default_due_days.data)
    lists.set_document_type_flows(actor, item, delivery_flow=form.delivery_flow.data,
                                  handling_flow=form.handling_flow.data, outgoing_flow=form.outgoing_flow.data)


@bp.post("/document-types/<int:item_id>/active/<int:active>")
def set_document_type_active(item_id, active):
    return _set_row_active(_get_or_404(DocumentType, item_id), active, "admin.document_types")


def _document_types_page(form, failed_row=None):
    return render_template("admin/document_types.html", form=form, groups=lists.document_types_by_group(),
                           group_names=lists.TYPE_GROUP_LABELS,
                           row_forms=_row_forms(lists.document_types(), failed_row))


# ---- categories --------------------------------------------------------------------------------------

@bp.route("/categories", methods=["GET", "POST"])
def categories():
    form = CategoryForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: lists.create_category(
                current_actor(), name_th=form.name_th.data, name_en=form.name_en.data),
                _l("The category was added.")):
            return redirect(url_for("admin.categories"))
    return _categories_page(form)


@bp.post("/categories/<int:item_id>")
def edit_category(item_id):
    item = _get_or_404(Category, item_id)
    form = _row_form(item)
    if _row_saved(item, form):
        return redirect(url_for("admin.categories"))
    return _categories_page(CategoryForm(formdata=None), failed_row=(item.id, form))


@bp.post("/categories/<int:item_id>/active/<int:active>")
def set_category_active(item_id, active):
    return _set_row_active(_get_or_404(Category, item_id), active, "admin.categories")


def _categories_page(form, failed_row=None):
    rows = lists.categories()
    return render_template("admin/categories.html", form=form, rows=rows,
                           row_forms=_row_forms(rows, failed_row))


# ---- delivery methods --------------------------------------------------------------------------------

@bp.route("/delivery-methods", methods=["GET", "POST"])
def delivery_methods():
    form = DeliveryMethodForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: lists.create_delivery_method(
                current_actor(), code=form.code.data, name_th=form.name_th.data, name_en=form.name_en.data),
                _l("The delivery method was added.")):
            return redirect(url_for("admin.delivery_methods"))
    return _delivery_methods_page(form)


@bp.post("/delivery-methods/<int:item_id>")
def edit_delivery_method(item_id):
    item = _get_or_404(DeliveryMethod, item_id)
    form = _row_form(item)
    if _row_saved(item, form):
        return redirect(url_for("admin.delivery_methods"))
    return _delivery_methods_page(DeliveryMethodForm(formdata=None), failed_row=(item.id, form))


@bp.post("/delivery-methods/<int:item_id>/active/<int:active>")
def set_delivery_method_active(item_id, active):
    return _set_row_active(_get_or_404(DeliveryMethod, item_id), active, "admin.delivery_methods")


def _delivery_methods_page(form, failed_row=None):
    rows = lists.delivery_methods()
    return render_template("admin/delivery_methods.html", form=form, rows=rows,
                           row_forms=_row_forms(rows, failed_row))


# ---- registers ---------------------------------------------------------------------------------------

@bp.get("/registers")
def registers():
    unit_id = id_arg(request.args, "unit")
    unit = _get_or_404(Unit, unit_id) if unit_id else None
    return _registers_page(unit, _register_form(formdata=None))


@bp.post("/registers/unit/<int:unit_id>")
def new_register(unit_id):
    unit = _get_or_404(Unit, unit_id)
    form = _register_form()
    if form.validate_on_submit():
        document_type = db.session.get(DocumentType, form.document_type_id.data) \
            if form.document_type_id.data != NONE else None
        if commit_or_flash(lambda: registry.create_register(
                current_actor(), unit=unit, code=form.code.data, direction=form.direction.data,
                name_th=form.name_th.data, name_en=form.name_en.data, prefix=form.prefix.data,
                document_type=document_type, yearly_reset=form.yearly_reset.data),
                _l("The register was added.")):
            return redirect(url_for("admin.registers", unit=unit.id))
    return _registers_page(unit, form)


@bp.post("/registers/unit/<int:unit_id>/standard")
def create_standard_registers(unit_id):
    unit = _get_or_404(Unit, unit_id)
    commit_or_flash(lambda: registry.create_standard_registers(current_actor(), unit),
                    _l("The receive and send registers were created."))
    return redirect(url_for("admin.registers", unit=unit.id))


@bp.route("/registers/<int:register_id>", methods=["GET", "POST"])
def edit_register(register_id):
    register = _get_or_404(Register, register_id)
    form = RegisterEditForm(obj=register)
    if form.validate_on_submit():
        if commit_or_flash(lambda: registry.update_register(
                current_actor(), register, name_th=form.name_th.data, name_en=form.name_en.data,
                prefix=form.prefix.data), _l("The register was saved.")):
            return redirect(url_for("admin.edit_register", register_id=register.id))
    return _register_page(register, form, StartingNumberForm(formdata=None))


@bp.post("/registers/<int:register_id>/starting-number")
def set_register_starting_number(register_id):
    register = _get_or_404(Register, register_id)
    form = StartingNumberForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: registry.set_starting_number(
                current_actor(), register, year=_this_year(), first_number=form.first_number.data),
                _l("The next number was set.")):
            return redirect(url_for("admin.edit_register", register_id=register.id))
    return _register_page(register, RegisterEditForm(obj=register, formdata=None), form)


@bp.post("/registers/<int:register_id>/active/<int:active>")
def set_register_active(register_id, active):
    register = _get_or_404(Register, register_id)
    message = _l("The register was reopened.") if active else _l("The register was closed.")
    commit_or_flash(lambda: registry.set_register_active(current_actor(), register, bool(active)), message)
    return redirect(url_for("admin.edit_register", register_id=register.id))


def _register_form(**kwargs):
    form = RegisterForm(**kwargs)
    form.document_type_id.choices = [(NONE, _l("— none —"))] + lists.choices(
        lists.document_types(active_only=True), current_locale())
    return form


def _registers_page(unit, form):
    found = registry_queries.registers_of_unit(unit) if unit else []
    return render_template(
        "admin/registers.html", unit=unit, form=form, registers=found,
        unit_choices=unit_choices(current_locale()),
        missing=registry_queries.missing_standard_registers(unit, found) if unit else [],
        last_numbers=registry_queries.last_numbers(found, _this_year()), shown_year=_shown_year(),
        direction_names=DIRECTION_LABELS)


def _register_page(register, form, start_form):
    return render_template(
        "admin/register_edit.html", register=register, form=form, start_form=start_form,
        last_number=registry_queries.last_numbers([register], _this_year())[register.id], shown_year=_shown_year(),
        direction_names=DIRECTION_LABELS, is_standard=registry_queries.is_standard(register))


def _this_year():
    return registry.local_year(utcnow())


def _shown_year():
    return _this_year() + BUDDHIST_ERA_OFFSET if current_locale() == "th" else _this_year()
