"""The IT officer's commands: org import, users create / reset-password, demo load."""
import re

import pytest

from app.extensions import db
from app.org.demo import DEMO_PASSWORD
from app.org.models import Role, Unit, User
from app.org.queries import unit_by_code, user_by_username
from tests.factories import make_unit

REAL_DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองยุทธศาสตร์และงบประมาณ", "กองการศึกษา ศาสนาและวัฒนธรรม",
                  "กองสาธารณสุข", "กองพัสดุและทรัพย์สิน", "กองการเจ้าหน้าที่", "หน่วยตรวจสอบภายใน"]


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


@pytest.fixture
def csv_file(tmp_path):
    def write(text, encoding="utf-8"):
        path = tmp_path / "units.csv"
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def test_org_import_creates_units_with_children_listed_before_parents(cli, csv_file):
    path = csv_file("\ufeffcode,parent_code,kind,name_th,name_en,letter_code\n"
                    "imp.section,imp.div,section,ฝ่ายนำเข้า,Import Section,ลย 51099\n"
                    "imp.div,,division,กองนำเข้า,Import Division,ลย 51099\n")
    result = cli("org", "import", path)
    assert result.exit_code == 0, result.output
    assert "2 units created, 0 updated" in result.output
    assert unit_by_code("imp.section").parent.name_th == "กองนำเข้า"


def test_org_import_updates_existing_units_by_code(cli, csv_file):
    parent = make_unit(code="imp.new-parent")
    make_unit(code="imp.existing", name_th="ชื่อเดิม")
    path = csv_file("code,parent_code,kind,name_th,name_en,letter_code\n"
                    "imp.existing,imp.new-parent,section,ชื่อใหม่,,ลย 51098\n")
    result = cli("org", "import", path)
    assert "0 units created, 1 updated" in result.output
    unit = unit_by_code("imp.existing")
    assert (unit.name_th, unit.parent_id, unit.kind) == ("ชื่อใหม่", parent.id, "section")


def test_org_import_with_a_bad_line_says_which_and_changes_nothing(cli, csv_file):
    before = db.session.query(Unit).count()
    path = csv_file("code,parent_code,kind,name_th,name_en,letter_code\n"
                    "imp.ok,,division,กองดี,,\n"
                    "imp.bad,,department,กองผิด,,\n")
    result = cli("org", "import", path)
    assert result.exit_code == 1
    assert "บรรทัดที่ 3" in result.output
    assert db.session.query(Unit).count() == before


def test_org_import_refuses_a_file_that_is_not_utf8(cli, csv_file):
    path = csv_file("code,parent_code,kind,name_th\nimp.tis,,division,กองทดสอบ\n", encoding="tis-620")
    result = cli("org", "import", path)
    assert result.exit_code == 1 and "UTF-8" in result.output
    assert unit_by_code("imp.tis") is None


def test_users_create_prints_a_one_time_password_to_change_at_first_login(cli, client, login):
    make_unit(code="cli-unit")
    result = cli("users", "create", "Somchai.K", "--name-th", "นายสมชาย กล้าหาญ", "--unit", "cli-unit",
                 "--role", "manager", "--manager-level", "section_head", "--role", "clerk")
    assert result.exit_code == 0, result.output
    password = re.search(r"One-time password: (\S+)", result.output).group(1)
    user = user_by_username("somchai.k")
    assert user.must_change_password
    assert sorted(r.role for r in user.roles) == [Role.CLERK, Role.MANAGER]
    assert login(client, "somchai.k", password).status_code == 302
    assert client.get("/").location == "/account/password"


def test_users_create_reads_a_password_from_stdin(cli):
    make_unit(code="cli-unit2")
    result = cli("users", "create", "reader", "--name-th", "ผู้อ่าน", "--unit", "cli-unit2",
                 "--password-stdin", input="Phukradueng99\n")
    assert result.exit_code == 0, result.output
    assert "One-time password" not in result.output
    assert user_by_username("reader").must_change_password is False


def test_users_create_with_an_unknown_unit_fails_clearly(cli):
    result = cli("users", "create", "lost", "--name-th", "หลงทาง", "--unit", "nowhere")
    assert result.exit_code == 1 and "no unit with code 'nowhere'" in result.output
    assert user_by_username("lost") is None


def test_users_reset_password(cli, client, login):
    make_unit(code="cli-unit3")
    cli("users", "create", "forgetful", "--name-th", "ขี้ลืม", "--unit", "cli-unit3", "--password-stdin",
        input="Phukradueng99\n")
    result = cli("users", "reset-password", "forgetful")
    temporary = re.search(r"forgetful: (\S+)", result.output).group(1)
    assert login(client, "forgetful", "Phukradueng99").status_code == 401
    assert login(client, "forgetful", temporary).status_code == 302
    assert cli("users", "reset-password", "nobody").exit_code == 1


def test_demo_load_builds_loei_pao_once(cli, client, login):
    result = cli("demo", "load")
    assert result.exit_code == 0 and "26 users" in result.output
    root = unit_by_code("pao-loei")
    division_names = [u.name_th for u in db.session.query(Unit).filter_by(parent_id=root.id, kind="division")]
    assert sorted(division_names) == sorted(REAL_DIVISIONS)
    users = db.session.query(User).all()
    assert 20 <= len(users) <= 30
    held = {r.role for u in users for r in u.roles}
    levels = {r.level for u in users for r in u.roles if r.level}
    assert held == {"clerk", "operator", "manager", "admin"}
    assert {"section_head", "division_head", "chief", "mayor"} <= levels
    assert all(re.search("[ก-๙]", u.full_name_th) for u in users)
    assert login(client, "saraban", DEMO_PASSWORD).status_code == 302

    again = cli("demo", "load")
    assert "not loaded" in again.output
    assert db.session.query(User).count() == len(users)


def test_users_create_strips_invisible_and_direction_characters_from_names(cli):
    """Issue 12 item 9: a name pasted into the command keeps its Thai marks and loses NUL, bidi overrides
    and zero-width characters, as in the forms and the CSV import."""
    make_unit(code="cli-unit3")
    result = cli("users", "create", "pasted", "--name-th", "นาง\u200bสาว\u202eน้ำ\x00ผึ้ง ศรีเลย", "--unit", "cli-unit3",
                 "--position", "เจ้าพนักงาน\u2066ธุรการ", "--password-stdin", input="Phukradueng99\n")
    assert result.exit_code == 0, result.output
    user = user_by_username("pasted")
    assert (user.full_name_th, user.position_title) == ("นางสาวน้ำผึ้ง ศรีเลย", "เจ้าพนักงานธุรการ")
