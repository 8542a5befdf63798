"""The admin-editable lists that describe documents (R9, R21): document types, categories (หมวด) and
delivery methods.

Rows of the lists are never deleted, since documents refer to them: one no longer wanted is deactivated,
which keeps it on old documents and takes it out of the choices for new ones. Services take the actor and
plain values and only flush; reads come first.
"""
import re

from sqlalchemy import func, select

from app.core import audit
from app.core.errors import BusinessRuleError, required_thai_name
from app.core.messages import lazy_gettext as _l
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.documents.models import Category, DeliveryMethod, DocumentType, TypeGroup
from app.documents.services import MAX_DUE_DAYS
from app.extensions import db
from app.registry.models import Register
from app.workflow import definitions
from app.workflow.steps import StepKind

TYPE_GROUP_LABELS = {
    TypeGroup.EXTERNAL.value: _l("External letters (หนังสือภายนอก)"),
    TypeGroup.INTERNAL.value: _l("Internal memos (หนังสือภายใน)"),
    TypeGroup.STAMPED.value: _l("Stamped letters (หนังสือประทับตรา)"),
    TypeGroup.DIRECTIVE.value: _l("Directives (หนังสือสั่งการ)"),
    TypeGroup.PUBLIC_RELATIONS.value: _l("Public relations (หนังสือประชาสัมพันธ์)"),
    TypeGroup.OFFICIAL_RECORD.value: _l("Records made by officials (หนังสือที่เจ้าหน้าที่ทำขึ้น)"),
    TypeGroup.CIRCULAR.value: _l("Circulars (หนังสือเวียน)"),
}
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


# ---- reads -------------------------------------------------------------------------------------------

def document_types(active_only=False):
    """In the regulation's order of groups, then each group's sort order."""
    group_order = {group.value: position for position, group in enumerate(TypeGroup)}
    query = select(DocumentType).order_by(DocumentType.sort_order, DocumentType.id)
    if active_only:
        query = query.where(DocumentType.is_active.is_(True))
    return sorted(db.session.scalars(query).all(), key=lambda t: group_order.get(t.group, len(group_order)))


def document_types_by_group():
    """(group code, [types]) for every group of the regulation, empty groups included."""
    types = document_types()
    return [(group.value, [t for t in types if t.group == group.value]) for group in TypeGroup]


def categories(active_only=False):
    return _ordered(Category, active_only)


def delivery_methods(active_only=False):
    return _ordered(DeliveryMethod, active_only)


def choices(rows, locale="th"):
    """(id, name) for select boxes."""
    return [(row.id, row.name(locale)) for row in rows]


def document_type_by_code(code):
    return db.session.scalar(select(DocumentType).where(DocumentType.code == code.strip().lower()))


def delivery_method_by_code(code):
    return db.session.scalar(select(DeliveryMethod).where(DeliveryMethod.code == code.strip().lower()))


def category_by_name(name_th):
    return db.session.scalar(select(Category).where(Category.name_th == name_th.strip()))


def _ordered(model, active_only):
    query = select(model).order_by(model.sort_order, model.id)
    if active_only:
        query = query.where(model.is_active.is_(True))
    return db.session.scalars(query).all()


# ---- document types ----------------------------------------------------------------------------------

def create_document_type(actor, *, code, group, name_th, name_en=""):
    code = _new_code(code, document_type_by_code)
    if group not in TYPE_GROUP_LABELS:
        raise BusinessRuleError(_l("Unknown group of document: %(group)s", group=group))
    document_type = DocumentType(code=code, group=group, name_th=required_thai_name(name_th),
                                 name_en=name_en.strip(), sort_order=_next_sort_order(DocumentType))
    return _added(actor, document_type, code=code, group=group)


def create_category(actor, *, name_th, name_en=""):
    name_th = required_thai_name(name_th)
    _check_category_name_free(name_th)
    category = Category(name_th=name_th, name_en=name_en.strip(), sort_order=_next_sort_order(Category))
    return _added(actor, category)


def create_delivery_method(actor, *, code, name_th, name_en=""):
    code = _new_code(code, delivery_method_by_code)
    method = DeliveryMethod(code=code, name_th=required_thai_name(name_th), name_en=name_en.strip(),
                            sort_order=_next_sort_order(DeliveryMethod))
    return _added(actor, method, code=code)


# What each stage's flow must be able to do: the step it starts at (app/workflow/steps.py).
FLOW_STAGES = {"delivery_flow": StepKind.REGISTER, "handling_flow": StepKind.ROUTE,
               "outgoing_flow": StepKind.REVIEW}


def set_document_type_flows(actor, document_type, *, delivery_flow, handling_flow, outgoing_flow):
    """The flows the type's new documents follow. Each must be a published flow with the step its stage
    starts at (a delivery's flow registers, the unit's routes, an outgoing one is reviewed for signature);
    documents under way keep the flow and version they started on."""
    chosen = {"delivery_flow": delivery_flow, "handling_flow": handling_flow, "outgoing_flow": outgoing_flow}
    known = set(definitions.keys())
    for stage, key in chosen.items():
        if key not in known:
            raise BusinessRuleError(_l("There is no flow %(key)s.", key=key))
        kinds = {step.kind for step in definitions.steps_for(definitions.current(key)).values()}
        if FLOW_STAGES[stage] not in kinds:
            raise BusinessRuleError(_l("The flow %(key)s has no step of the kind this stage needs (%(kind)s).",
                                       key=key, kind=FLOW_STAGES[stage].value))
    before = {stage: getattr(document_type, stage) for stage in chosen}
    for stage, key in chosen.items():
        setattr(document_type, stage, key)
    db.session.flush()
    audit.record(actor, "document_type.flows", "document_type", document_type.id, before=before, after=chosen)
    return document_type


def set_document_type_defaults(actor, document_type, *, speed, secrecy, due_days):
    """What the type's new documents start with: speed, secrecy and due in `due_days` days (None: no due
    date). The clerk may change each on the document; documents already made keep theirs."""
    if speed not in SPEED_LABELS:
        raise BusinessRuleError(_l("Unknown speed: %(value)s", value=speed))
    if secrecy not in SECRECY_LABELS:
        raise BusinessRuleError(_l("Unknown secrecy: %(value)s", value=secrecy))
    if due_days is not None and not 0 <= due_days <= MAX_DUE_DAYS:
        raise BusinessRuleError(_l("Due in days must be between 0 and %(n)d.", n=MAX_DUE_DAYS))
    before = {"speed": document_type.default_speed, "secrecy": document_type.default_secrecy,
              "due_days": document_type.default_due_days}
    document_type.default_speed, document_type.default_secrecy = speed, secrecy
    document_type.default_due_days = due_days
    db.session.flush()
    audit.record(actor, "document_type.defaults", "document_type", document_type.id, before=before,
                 after={"speed": speed, "secrecy": secrecy, "due_days": due_days})
    return document_type


def series_of(document_type):
    """The registers (of any unit) that number this type's documents in a series of their own."""
    return db.session.scalars(select(Register).where(Register.document_type_id == document_type.id)
                              .order_by(Register.unit_id, Register.id)).all()


def update_list_item(actor, item, *, name_th, name_en, sort_order):
    """Rename a document type, category or delivery method, or move it in its list."""
    name_th = required_thai_name(name_th)
    if isinstance(item, Category) and name_th != item.name_th:
        _check_category_name_free(name_th)
    before = {"name_th": item.name_th, "name_en": item.name_en, "sort_order": item.sort_order}
    item.name_th, item.name_en, item.sort_order = name_th, name_en.strip(), sort_order
    db.session.flush()
    audit.record(actor, f"{item.__tablename__}.update", item.__tablename__, item.id, before=before,
                 after={"name_th": item.name_th, "name_en": item.name_en, "sort_order": item.sort_order})
    return item


def set_list_item_active(actor, item, active):
    item.is_active = active
    db.session.flush()
    action = "activate" if active else "deactivate"
    audit.record(actor, f"{item.__tablename__}.{action}", item.__tablename__, item.id)
    return item


def _added(actor, item, **detail):
    db.session.add(item)
    db.session.flush()
    audit.record(actor, f"{item.__tablename__}.create", item.__tablename__, item.id, name_th=item.name_th,
                 **detail)
    return item


def _new_code(code, find):
    code = (code or "").strip().lower()
    if not CODE_PATTERN.match(code):
        raise BusinessRuleError(_l("A code uses lower-case English letters, digits, '.', '_' or '-'."))
    if find(code) is not None:
        raise BusinessRuleError(_l("The code %(code)s is already in use.", code=code))
    return code


def _check_category_name_free(name_th):
    if category_by_name(name_th) is not None:
        raise BusinessRuleError(_l("The category %(name)s already exists.", name=name_th))


def _next_sort_order(model):
    return (db.session.scalar(select(func.max(model.sort_order))) or 0) + 1
