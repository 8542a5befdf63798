"""The first run of a new installation: the organisation's top unit and its first administrator.

Done once: when the database already has a user, nothing is created, so the installer can run it every
time. The administrator gets a one-time password, changed at the first login.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from app.auth import passwords
from app.core.actor import Actor
from app.extensions import db
from app.org import services
from app.org.models import Role, Unit, UnitKind, User

SETUP_ACTOR = Actor.system("setup")
TOP_UNIT_CODE = "org"


@dataclass
class FirstRun:
    created: bool
    organisation: str
    admin_username: str = ""
    one_time_password: str = ""


def is_set_up():
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def first_organisation(*, name_th, letter_code, admin_username="admin", admin_name_th="ผู้ดูแลระบบ"):
    """Create the top unit and an administrator when the database has no user yet; flushes only."""
    if is_set_up():
        top = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        return FirstRun(created=False, organisation=top.name_th if top else "")
    unit = services.create_unit(SETUP_ACTOR, code=TOP_UNIT_CODE, kind=UnitKind.ORGANISATION, name_th=name_th,
                                letter_code=letter_code)
    password = passwords.temporary_password()
    services.create_user(SETUP_ACTOR, username=admin_username, full_name_th=admin_name_th, unit=unit,
                         roles=[(Role.ADMIN, None)], password=password, must_change_password=True)
    return FirstRun(created=True, organisation=name_th, admin_username=admin_username,
                    one_time_password=password)
