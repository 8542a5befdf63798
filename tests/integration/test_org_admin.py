"""R13: the org chart and users follow the organisation and change with it, through the admin pages."""
from app.core.models import AuditEvent
from app.extensions import db
from app.org.models import Unit, User
from app.org.queries import unit_by_code, user_by_username
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user


def admin_client(client, login):
    admin = make_user(roles=("admin",))
    login(client, admin)
    return admin


def test_only_admins_open_the_admin_pages(client, login):
    login(client, make_user(roles=("clerk", "operator", "manager")))
    for path in ("/admin/units", "/admin/users", "/admin/delegations", "/admin/units/new", "/admin/users/new"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "ไม่มีสิทธิ์" in response.get_data(as_text=True)


def test_admin_adds_a_section_under_a_division(client, login):
    admin_client(client, login)
    division = make_unit(name_th="กองช่างทดสอบ")
    response = client.post("/admin/units/new", data={
        "parent_id": division.id, "kind": "section", "name_th": "ฝ่ายสำรวจ", "name_en": "Survey Section",
        "code": "eng.survey", "letter_code": "ลย 51003"})
    assert response.status_code == 302
    section = unit_by_code("eng.survey")
    assert (section.parent_id, section.kind, section.name_th) == (division.id, "section", "ฝ่ายสำรวจ")
    tree = client.get("/admin/units").get_data(as_text=True)
    assert tree.index("กองช่างทดสอบ") < tree.index("ฝ่ายสำรวจ")


def test_duplicate_unit_code_is_refused_and_nothing_is_added(client, login):
    admin_client(client, login)
    make_unit(code="dup")
    count = db.session.query(Unit).count()
    response = client.post("/admin/units/new", data={"parent_id": 0, "kind": "division", "name_th": "ซ้ำ",
                                                     "code": "dup"})
    assert "รหัสหน่วยงาน dup ถูกใช้งานแล้ว" in response.get_data(as_text=True)
    assert db.session.query(Unit).count() == count


def test_admin_renames_a_unit_and_the_change_is_audited(client, login):
    admin = admin_client(client, login)
    unit = make_unit(name_th="กองเดิม")
    client.post(f"/admin/units/{unit.id}", data={"name_th": "กองใหม่", "name_en": "New Division",
                                                 "letter_code": "ลย 51010", "kind": "division"})
    assert (unit.name_th, unit.name_en, unit.letter_code) == ("กองใหม่", "New Division", "ลย 51010")
    event = db.session.query(AuditEvent).filter_by(action="unit.update", subject_id=unit.id).one()
    assert event.actor_id == admin.id and "กองเดิม" in event.detail and "กองใหม่" in event.detail


def test_admin_moves_a_section_to_another_division(client, login):
    admin_client(client, login)
    old_division, new_division = make_unit(), make_unit()
    section = make_unit(kind="section", parent=old_division)
    client.post(f"/admin/units/{section.id}/move", data={"parent_id": new_division.id})
    assert section.parent_id == new_division.id


def test_a_unit_cannot_move_under_its_own_section(client, login):
    admin_client(client, login)
    division = make_unit()
    section = make_unit(kind="section", parent=division)
    response = client.post(f"/admin/units/{division.id}/move", data={"parent_id": section.id},
                           follow_redirects=True)
    assert division.parent_id is None
    # the move form does not even offer its own subtree
    assert f'value="{section.id}"' not in response.get_data(as_text=True).split("admin/units/")[-1]


def test_unit_with_active_users_is_not_deactivated(client, login):
    admin_client(client, login)
    unit = make_unit()
    make_user(unit=unit)
    response = client.post(f"/admin/units/{unit.id}/active/0", follow_redirects=True)
    assert "ย้ายหรือปิดการใช้งานผู้ใช้" in response.get_data(as_text=True)
    assert unit.is_active


def test_empty_unit_is_deactivated_never_deleted_and_takes_no_new_users(client, login):
    admin_client(client, login)
    unit = make_unit()
    client.post(f"/admin/units/{unit.id}/active/0")
    assert db.session.get(Unit, unit.id).is_active is False
    response = client.post("/admin/users/new", data={
        "username": "newbie", "password": DEFAULT_PASSWORD, "full_name_th": "นายใหม่", "unit_id": unit.id})
    assert user_by_username("newbie") is None
    assert response.status_code == 200
    client.post(f"/admin/units/{unit.id}/active/1")
    assert unit.is_active


def test_admin_adds_a_user_who_must_change_the_first_password(client, other_client, login):
    admin_client(client, login)
    unit = make_unit(name_th="ฝ่ายการเงิน")
    response = client.post("/admin/users/new", data={
        "username": "Malee.S", "password": "Malee-first-1", "full_name_th": "นางสาวมาลี สุขใจ",
        "full_name_en": "Malee Sukjai", "position_title": "นักวิชาการเงินและบัญชี", "unit_id": unit.id,
        "roles": ["clerk", "manager"], "manager_level": "section_head"})
    assert response.status_code == 302
    user = user_by_username("malee.s")
    assert user.unit_id == unit.id and user.must_change_password
    assert sorted((r.role, r.level) for r in user.roles) == [("clerk", None), ("manager", "section_head")]
    assert login(other_client, "malee.s", "Malee-first-1").status_code == 302
    assert other_client.get("/").location == "/account/password"


def test_duplicate_username_is_refused_in_thai(client, login):
    admin_client(client, login)
    existing = make_user()
    response = client.post("/admin/users/new", data={
        "username": existing.username, "password": DEFAULT_PASSWORD, "full_name_th": "ซ้ำ",
        "unit_id": existing.unit_id})
    assert f"ชื่อผู้ใช้ {existing.username} ถูกใช้งานแล้ว" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username=existing.username).count() == 1


def test_a_manager_needs_a_level(client, login):
    admin_client(client, login)
    unit = make_unit()
    response = client.post("/admin/users/new", data={
        "username": "nolevel", "password": DEFAULT_PASSWORD, "full_name_th": "ไม่มีระดับ", "unit_id": unit.id,
        "roles": ["manager"], "manager_level": ""})
    assert "กรุณาเลือกระดับผู้บริหาร" in response.get_data(as_text=True)
    assert user_by_username("nolevel") is None


def test_admin_moves_a_user_and_changes_roles(client, login):
    admin_client(client, login)
    user = make_user(roles=("operator",))
    new_unit = make_unit()
    client.post(f"/admin/users/{user.id}", data={
        "full_name_th": user.full_name_th, "unit_id": new_unit.id, "roles": ["clerk"], "manager_level": ""})
    assert user.unit_id == new_unit.id
    assert [r.role for r in user.roles] == ["clerk"]


def test_admin_cannot_deactivate_own_account(client, login):
    admin = admin_client(client, login)
    response = client.post(f"/admin/users/{admin.id}/active/0", follow_redirects=True)
    assert "ไม่สามารถปิดการใช้งานบัญชีของตนเอง" in response.get_data(as_text=True)
    assert admin.is_active


def test_user_list_filters_by_unit_and_name(client, login):
    admin_client(client, login)
    unit = make_unit()
    make_user(unit=unit, full_name_th="นายดำรง คงมั่น")
    make_user(full_name_th="นายสมปอง ที่อื่น")
    page = client.get(f"/admin/users?unit={unit.id}").get_data(as_text=True)
    assert "นายดำรง คงมั่น" in page and "นายสมปอง ที่อื่น" not in page
    page = client.get("/admin/users?q=สมปอง").get_data(as_text=True)
    assert "นายสมปอง ที่อื่น" in page and "นายดำรง คงมั่น" not in page
