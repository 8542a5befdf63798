"""Test data: keyword-only factories with sensible defaults, built through the real services."""
import itertools

from app.core.actor import Actor
from app.extensions import db
from app.org import services

DEFAULT_PASSWORD = "Kaew2569x"
_sequence = itertools.count(1)
SYSTEM = Actor.system("test")


def make_unit(*, name_th=None, kind="division", parent=None, name_en="", letter_code="ลย 59999", code=None):
    number = next(_sequence)
    unit = services.create_unit(SYSTEM, code=code or f"unit-{number}", kind=kind,
                                name_th=name_th or f"กองทดสอบ {number}", name_en=name_en or f"Test unit {number}",
                                letter_code=letter_code, parent=parent)
    db.session.commit()
    return unit


def make_user(*, unit=None, roles=("operator",), manager_level="division_head", username=None,
              full_name_th=None, full_name_en="", password=DEFAULT_PASSWORD, must_change_password=False):
    number = next(_sequence)
    role_pairs = [(role, manager_level if role == "manager" else None) for role in roles]
    user = services.create_user(SYSTEM, username=username or f"user{number}",
                                full_name_th=full_name_th or f"นายทดสอบ ที่{number}", full_name_en=full_name_en,
                                unit=unit or make_unit(), roles=role_pairs, password=password,
                                must_change_password=must_change_password)
    db.session.commit()
    return user
