"""Acting for another (รักษาราชการแทน): the deputy sees and can do what the principal can, only on those dates."""
from datetime import timedelta

from app.core.thai_dates import today_local
from app.org.models import Delegation
from app.org.queries import effective_roles, holds_any_role
from app.extensions import db
from tests.factories import make_unit, make_user


def test_deputy_holds_the_principals_roles_during_the_dates_only(db_session):
    division = make_unit(name_th="กองคลังทดสอบ")
    director = make_user(unit=division, roles=("manager",), manager_level="division_head")
    deputy = make_user(roles=("operator",))
    today = today_local()
    db.session.add(Delegation(principal=director, deputy=deputy, starts_on=today + timedelta(days=1),
                              ends_on=today + timedelta(days=3)))
    db.session.commit()
    assert not holds_any_role(deputy, ("manager",), on=today)
    during = effective_roles(deputy, on=today + timedelta(days=2))
    borrowed = [r for r in during if r.acting_for is not None]
    assert [(r.role, r.level, r.unit.name_th, r.acting_for.id) for r in borrowed] == [
        ("manager", "division_head", "กองคลังทดสอบ", director.id)]
    assert not holds_any_role(deputy, ("manager",), on=today + timedelta(days=4))


def test_acting_for_an_admin_opens_the_admin_pages_until_revoked(client, login):
    admin = make_user(roles=("admin",))
    deputy = make_user(roles=("operator",))
    login(client, admin)
    today = today_local()
    client.post("/admin/delegations", data={"principal_id": admin.id, "deputy_id": deputy.id,
                                            "starts_on": today.isoformat(), "ends_on": today.isoformat(),
                                            "note": "ไปราชการ"})
    delegation = db.session.query(Delegation).filter_by(deputy_id=deputy.id).one()
    client.post("/logout")

    login(client, deputy)
    home = client.get("/").get_data(as_text=True)
    assert "รักษาราชการแทน" in home
    assert client.get("/admin/users").status_code == 200
    client.post("/logout")

    login(client, admin)
    client.post(f"/admin/delegations/{delegation.id}/revoke")
    client.post("/logout")
    login(client, deputy)
    assert client.get("/admin/users").status_code == 403


def test_nobody_acts_for_themselves_and_dates_must_be_in_order(client, login):
    admin = make_user(roles=("admin",))
    other = make_user()
    login(client, admin)
    today = today_local()
    page = client.post("/admin/delegations", data={"principal_id": other.id, "deputy_id": other.id,
                                                   "starts_on": today.isoformat(),
                                                   "ends_on": today.isoformat()}).get_data(as_text=True)
    assert "ไม่สามารถรักษาราชการแทนตนเอง" in page
    page = client.post("/admin/delegations", data={
        "principal_id": other.id, "deputy_id": admin.id, "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat()}).get_data(as_text=True)
    assert "วันที่สิ้นสุดต้องไม่อยู่ก่อนวันที่เริ่มต้น" in page
    assert db.session.query(Delegation).count() == 0
