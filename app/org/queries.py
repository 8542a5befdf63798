"""Reading the org chart: the tree, people, and what each person may do today."""
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.core.thai_dates import today_local
from app.extensions import db
from app.org.models import Delegation, ManagerLevel, Role, Unit, User, UserRole


@dataclass(frozen=True)
class EffectiveRole:
    role: str
    level: str | None
    unit: Unit
    acting_for: User | None  # set when the role is held through a delegation


def unit_tree(include_inactive=True):
    """Every unit with its depth, parents before children, siblings in sort order."""
    units = db.session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id)).all()
    children = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            if include_inactive or unit.is_active:
                ordered.append((unit, depth))
                walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def subtree_ids(unit):
    ids, frontier = {unit.id}, [unit.id]
    while frontier:
        frontier = db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))).all()
        ids.update(frontier)
    return ids


def unit_by_code(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user_by_username(username):
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def users_in_unit_count(unit, active_only=True):
    query = select(func.count()).select_from(User).where(User.unit_id == unit.id)
    if active_only:
        query = query.where(User.is_active_account.is_(True))
    return db.session.scalar(query)


def search_users(*, text="", unit_id=None, include_inactive=False):
    query = select(User).join(User.unit).order_by(Unit.sort_order, Unit.id, User.username)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(or_(User.username.like(like), User.full_name_th.like(like),
                                User.full_name_en.like(like)))
    if unit_id:
        query = query.where(User.unit_id == unit_id)
    if not include_inactive:
        query = query.where(User.is_active_account.is_(True))
    return db.session.scalars(query).all()


def active_delegations_to(deputy, on=None):
    """The delegations that let `deputy` act for someone on the given day."""
    on = on or today_local()
    return db.session.scalars(
        select(Delegation).where(Delegation.deputy_id == deputy.id, Delegation.revoked_at.is_(None),
                                 Delegation.starts_on <= on, Delegation.ends_on >= on)
        .order_by(Delegation.starts_on)
    ).all()


def delegations(include_past=False, on=None):
    on = on or today_local()
    query = select(Delegation).order_by(Delegation.starts_on.desc(), Delegation.id.desc())
    if not include_past:
        query = query.where(Delegation.revoked_at.is_(None), Delegation.ends_on >= on)
    return db.session.scalars(query).all()


def effective_roles(user, on=None):
    """The user's own roles in their unit, plus the roles of everyone they act for on that day."""
    own = [EffectiveRole(r.role, r.level, user.unit, None) for r in user.roles]
    borrowed = [
        EffectiveRole(r.role, r.level, delegation.principal.unit, delegation.principal)
        for delegation in active_delegations_to(user, on)
        if delegation.principal.is_active
        for r in delegation.principal.roles
    ]
    return own + borrowed


def holds_any_role(user, roles, on=None):
    return any(held.role in roles for held in effective_roles(user, on))


def role_holders(unit, role):
    return db.session.scalars(
        select(User).join(UserRole).where(User.unit_id == unit.id, UserRole.role == role,
                                          User.is_active_account.is_(True)).order_by(User.username)
    ).all()


def unit_choices(locale="th"):
    """(id, indented name) of every active unit, for select boxes."""
    return [(unit.id, "— " * depth + unit.name(locale)) for unit, depth in unit_tree(False)]


def unit_picker_choices(locale="th"):
    """unit_choices for the unit picker (static/js/unit-picker.js): each option also carries both names and
    the code, so typing Thai or English finds a unit whichever language the page is in."""
    return [(unit.id, "— " * depth + unit.name(locale),
             {"data-search": " ".join(filter(None, (unit.name_th, unit.name_en, unit.code)))})
            for unit, depth in unit_tree(False)]


def user_choices(locale="th"):
    users = db.session.scalars(select(User).where(User.is_active_account.is_(True))
                               .order_by(User.full_name_th)).all()
    return [(u.id, f"{u.display_name(locale)} ({u.username})") for u in users]


_LEVEL_RANK = {level.value: rank for rank, level in enumerate(ManagerLevel)}


def signing_chain(unit):
    """The managers a proposal climbs through: the unit's own, then each unit above it, lowest level first."""
    chain, seen = [], set()
    while unit is not None:
        managers = db.session.execute(
            select(User, UserRole.level).join(UserRole)
            .where(User.unit_id == unit.id, UserRole.role == Role.MANAGER, User.is_active_account.is_(True))
        ).all()
        for user, level in sorted(managers, key=lambda row: (_LEVEL_RANK.get(row[1], -1), row[0].username)):
            if user.id not in seen:
                seen.add(user.id)
                chain.append(user)
        unit = unit.parent
    return chain


def acting_for_ids(user, on=None):
    """The user and everyone they act for today: tasks given to any of them are the user's to do."""
    return [user.id, *(delegation.principal_id for delegation in active_delegations_to(user, on))]
