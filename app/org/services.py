"""Changing the org chart and accounts. Each function takes the acting person and plain values, checks the
rules, records the change in the audit trail and only flushes: the caller commits once."""
import re

from app.auth import passwords
from app.core import audit
from app.core.errors import BusinessRuleError, required_thai_name
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.extensions import db
from app.org import queries
from app.org.models import Delegation, ManagerLevel, Role, Unit, UnitKind, User, UserRole

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
UNIT_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


# ---- units -------------------------------------------------------------------------------------------

def create_unit(actor, *, code, kind, name_th, name_en="", letter_code="", parent=None, sort_order=0):
    code = code.strip().lower()
    _check_unit_code(code)
    _check_kind(kind)
    if parent is not None and not parent.is_active:
        raise BusinessRuleError(_l("The parent unit is inactive; reactivate it first."))
    unit = Unit(code=code, kind=kind, name_th=required_thai_name(name_th), name_en=name_en.strip(),
                letter_code=letter_code.strip(), parent=parent, sort_order=sort_order)
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit.create", "unit", unit.id, code=code, name_th=unit.name_th,
                 parent=parent.code if parent else None)
    return unit


def update_unit(actor, unit, *, name_th, name_en, letter_code, kind):
    _check_kind(kind)
    before = {"name_th": unit.name_th, "name_en": unit.name_en, "letter_code": unit.letter_code,
              "kind": unit.kind}
    unit.name_th, unit.name_en = required_thai_name(name_th), name_en.strip()
    unit.letter_code, unit.kind = letter_code.strip(), kind
    db.session.flush()
    audit.record(actor, "unit.update", "unit", unit.id, before=before,
                 after={"name_th": unit.name_th, "name_en": unit.name_en, "letter_code": unit.letter_code,
                        "kind": unit.kind})
    return unit


def move_unit(actor, unit, new_parent):
    if new_parent is not None:
        if new_parent.id in queries.subtree_ids(unit):
            raise BusinessRuleError(_l("A unit cannot be moved under itself or one of its own sections."))
        if not new_parent.is_active:
            raise BusinessRuleError(_l("The parent unit is inactive; reactivate it first."))
    old_parent = unit.parent
    unit.parent = new_parent
    db.session.flush()
    audit.record(actor, "unit.move", "unit", unit.id, old_parent=old_parent.code if old_parent else None,
                 new_parent=new_parent.code if new_parent else None)
    return unit


def set_unit_active(actor, unit, active):
    """Units are never deleted: their history stays; an inactive unit takes no new users or letters."""
    if not active:
        if any(child.is_active for child in unit.children):
            raise BusinessRuleError(_l("Deactivate or move this unit's sections first."))
        if queries.users_in_unit_count(unit):
            raise BusinessRuleError(_l("Move or deactivate the users of this unit first."))
    elif unit.parent is not None and not unit.parent.is_active:
        raise BusinessRuleError(_l("The parent unit is inactive; reactivate it first."))
    unit.is_active = active
    db.session.flush()
    audit.record(actor, "unit.activate" if active else "unit.deactivate", "unit", unit.id)
    return unit


def _check_unit_code(code):
    if not UNIT_CODE_PATTERN.match(code):
        raise BusinessRuleError(_l("A unit code uses lower-case English letters, digits, '.', '_' or '-'."))
    if queries.unit_by_code(code) is not None:
        raise BusinessRuleError(_l("The unit code %(code)s is already in use.", code=code))


def _check_kind(kind):
    if kind not in {k.value for k in UnitKind}:
        raise BusinessRuleError(_l("Unknown unit kind: %(kind)s", kind=kind))


# ---- users -------------------------------------------------------------------------------------------

def create_user(actor, *, username, full_name_th, unit, password, roles=(), full_name_en="",
                position_title="", email="", must_change_password=True, password_hash=None):
    """`roles` is a list of (role, level) pairs; level only for managers. `password_hash`, when given, is
    `passwords.hash_password(password)` worked out once by a caller creating many users with the same
    password (the demo): scrypt is slow on purpose, a tenth of a second per hash."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise BusinessRuleError(_l("A username is 2-64 lower-case English letters, digits, '.', '_' or '-'."))
    if queries.user_by_username(username) is not None:
        raise BusinessRuleError(_l("The username %(username)s is already taken.", username=username))
    _check_unit_usable(unit)
    passwords.check_strength(password, username)
    user = User(username=username, full_name_th=required_thai_name(full_name_th), full_name_en=full_name_en.strip(),
                position_title=position_title.strip(), email=email.strip(), unit=unit,
                password_hash=password_hash or passwords.hash_password(password),
                must_change_password=must_change_password,
                password_changed_at=utcnow())
    db.session.add(user)
    _replace_roles(user, roles)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, username=username, unit=unit.code,
                 roles=_role_summary(user))
    return user


def update_user(actor, user, *, full_name_th, full_name_en, position_title, email, unit, roles):
    if unit.id != user.unit_id:
        _check_unit_usable(unit)
    before = {"unit": user.unit.code, "roles": _role_summary(user)}
    user.full_name_th, user.full_name_en = required_thai_name(full_name_th), full_name_en.strip()
    user.position_title, user.email = position_title.strip(), email.strip()
    user.unit = unit
    _replace_roles(user, roles)
    db.session.flush()
    audit.record(actor, "user.update", "user", user.id, before=before,
                 after={"unit": unit.code, "roles": _role_summary(user)})
    return user


def set_user_active(actor, user, active):
    """Users are never deleted; a deactivated user cannot log in and every open session of theirs ends."""
    if not active and actor.user is not None and actor.user.id == user.id:
        raise BusinessRuleError(_l("You cannot deactivate your own account."))
    if active:
        _check_unit_usable(user.unit)
    user.is_active_account = active
    user.session_version += 1
    db.session.flush()
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id)
    return user


def set_user_locale(user, locale):
    user.locale = locale
    db.session.flush()


def _check_unit_usable(unit):
    if unit is None or not unit.is_active:
        raise BusinessRuleError(_l("Choose an active unit."))


def _replace_roles(user, roles):
    wanted = {}
    for role, level in roles:
        if role not in {r.value for r in Role}:
            raise BusinessRuleError(_l("Unknown role: %(role)s", role=role))
        if level and (role != Role.MANAGER or level not in {lv.value for lv in ManagerLevel}):
            raise BusinessRuleError(_l("A management level applies only to the manager role."))
        wanted[role] = level or None
    if Role.MANAGER in wanted and not wanted[Role.MANAGER]:
        raise BusinessRuleError(_l("Choose the manager's level (head of section, director, ...)."))
    user.roles = [r for r in user.roles if r.role in wanted]
    current = {r.role: r for r in user.roles}
    for role, level in wanted.items():
        if role in current:
            current[role].level = level
        else:
            user.roles.append(UserRole(role=role, level=level))


def _role_summary(user):
    return sorted(f"{r.role}:{r.level}" if r.level else r.role for r in user.roles)


# ---- acting for (รักษาราชการแทน) ----------------------------------------------------------------------

def add_delegation(actor, *, principal, deputy, starts_on, ends_on, note=""):
    if principal.id == deputy.id:
        raise BusinessRuleError(_l("A person cannot act for themselves."))
    if ends_on < starts_on:
        raise BusinessRuleError(_l("The end date must not be before the start date."))
    if not (principal.is_active and deputy.is_active):
        raise BusinessRuleError(_l("Both people must have active accounts."))
    delegation = Delegation(principal=principal, deputy=deputy, starts_on=starts_on, ends_on=ends_on,
                            note=note.strip(), created_by_id=actor.user_id)
    db.session.add(delegation)
    db.session.flush()
    audit.record(actor, "delegation.create", "delegation", delegation.id, principal=principal.username,
                 deputy=deputy.username, starts_on=starts_on, ends_on=ends_on)
    return delegation


def revoke_delegation(actor, delegation):
    if delegation.revoked_at is None:
        delegation.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, "delegation.revoke", "delegation", delegation.id)
    return delegation
