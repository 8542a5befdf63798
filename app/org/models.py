"""The org chart (R13): units in a tree, the people in them, the roles they hold, who acts for whom."""
from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import BilingualName, table_args, utcnow
from app.extensions import db


class UnitKind(StrEnum):
    ORGANISATION = "organisation"  # อบจ. itself: where นายก, ปลัด and their deputies sit
    GROUP = "group"                # a group of divisions (สายงาน)
    DIVISION = "division"          # กอง / สำนัก / หน่วย
    SECTION = "section"            # ฝ่าย / งาน


class Role(StrEnum):
    CLERK = "clerk"        # ธุรการ: registers and routes the unit's letters
    OPERATOR = "operator"  # ผู้ปฏิบัติงาน
    MANAGER = "manager"    # ผู้บริหาร: instructs and signs
    ADMIN = "admin"        # ผู้ดูแลระบบ


class ManagerLevel(StrEnum):
    """Where a manager stands in the signing chain, lowest first."""
    SECTION_HEAD = "section_head"        # หัวหน้าฝ่าย
    DIVISION_HEAD = "division_head"      # ผู้อำนวยการกอง
    DEPUTY_CHIEF = "deputy_chief"        # รองปลัด อบจ.
    CHIEF = "chief"                      # ปลัด อบจ.
    DEPUTY_MAYOR = "deputy_mayor"        # รองนายก อบจ.
    MAYOR = "mayor"                      # นายก อบจ.


class Unit(BilingualName, db.Model):
    __tablename__ = "unit"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    letter_code: Mapped[str] = mapped_column(String(32), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.sort_order, Unit.id")

    def __repr__(self):
        return f"<Unit {self.code}>"


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name_th: Mapped[str] = mapped_column(String(200))
    full_name_en: Mapped[str] = mapped_column(String(200), default="")
    position_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="th")
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None]
    # Bumped on password change, reset or deactivation: every session holding the old value ends.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    roles: Mapped[list["UserRole"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                   order_by="UserRole.role")

    @property
    def is_active(self):  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def display_name(self, locale="th"):
        return self.full_name_en if locale == "en" and self.full_name_en else self.full_name_th

    def name_with_position(self, locale="th"):
        """How a list of people to choose from names each one: "สมชาย ใจดี (หัวหน้าฝ่าย)"."""
        title = f" ({self.position_title})" if self.position_title else ""
        return f"{self.display_name(locale)}{title}"

    def __repr__(self):
        return f"<User {self.username}>"


class UserRole(db.Model):
    """A role the user holds in their own unit."""

    __tablename__ = "user_role"
    __table_args__ = table_args(
        UniqueConstraint("user_id", "role"),
        CheckConstraint("level IS NULL OR role = 'manager'", name="level_only_for_managers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    role: Mapped[str] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="roles")


class Delegation(db.Model):
    """รักษาราชการแทน: the deputy sees and does what the principal can, from starts_on to ends_on inclusive."""

    __tablename__ = "delegation"
    __table_args__ = table_args(CheckConstraint("starts_on <= ends_on", name="dates_in_order"))

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    principal: Mapped[User] = relationship(foreign_keys=[principal_id])
    deputy: Mapped[User] = relationship(foreign_keys=[deputy_id])
