"""Issue 13 items 2 and 4 (R2): `esaraban status` and the admin's status page say what needs the IT officer;
a red warning on every admin page while the last backup is old, a worker is down or a disk is nearly full."""
from datetime import datetime, timedelta, timezone

import pytest

from app.ops import backup as backups
from app.ops import status
from tests.factories import make_user


@pytest.fixture
def backup_dir(app, tmp_path):
    previous = app.config["BACKUP_PATH"]
    app.config["BACKUP_PATH"] = str(tmp_path / "backups")
    yield tmp_path / "backups"
    app.config["BACKUP_PATH"] = previous


def checks_by_key(**kwargs):
    return {check.key: check for check in status.collect(**kwargs)}


def test_no_backup_and_no_worker_need_the_admin(app, db_session, backup_dir):
    checks = checks_by_key()

    assert checks["database"].ok and checks["redis"].ok
    assert not checks["backup"].ok and "esaraban backup" in checks["backup"].detail
    assert not checks["workers"].ok  # the suite runs no worker process for this test's queue
    assert "queue" in checks  # depth and the oldest job's age; other tests' jobs make its verdict vary


def test_a_fresh_backup_is_good_and_one_three_days_old_is_not(app, db_session, backup_dir):
    made = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
    backups.backup(backup_dir, keep=3, now=made)

    assert checks_by_key(now=made + timedelta(hours=20))["backup"].ok
    stale = checks_by_key(now=made + timedelta(days=3))["backup"]
    assert not stale.ok and "72" in stale.detail


def test_the_command_lists_every_check_and_exits_1_when_the_admin_must_act(app, db_session, backup_dir):
    result = app.test_cli_runner().invoke(args=["status"])

    assert result.exit_code == 1
    for label in ("ฐานข้อมูล", "Redis", "การสำรองข้อมูลล่าสุด", "พื้นที่ดิสก์สำหรับไฟล์แนบ", "รุ่นของระบบ"):
        assert label in result.output
    assert "!!" in result.output and "ยังไม่เคยสำรองข้อมูล" in result.output


def test_the_admin_sees_the_status_page_and_a_warning_on_every_admin_page(client, login, backup_dir):
    login(client, make_user(roles=("admin",)))

    page = client.get("/admin/status").get_data(as_text=True)
    assert 'data-testid="status-backup"' in page and "ต้องดำเนินการ" in page
    for path in ("/admin/units", "/admin/users", "/admin/line"):
        listing = client.get(path).get_data(as_text=True)
        assert 'data-testid="admin-warning"' in listing and "การสำรองข้อมูลล่าสุด" in listing, path


def test_no_warning_once_backed_up_and_a_worker_is_up(client, login, backup_dir, monkeypatch):
    backups.backup(backup_dir, keep=3)
    monkeypatch.setattr(status, "_workers", lambda queue, now: status.Check("workers", "Workers", True, "1"))
    login(client, make_user(roles=("admin",)))

    listing = client.get("/admin/units").get_data(as_text=True)

    assert 'data-testid="admin-warning"' not in listing


def test_only_admins_open_the_status_page(client, login):
    login(client, make_user(roles=("clerk",)))

    assert client.get("/admin/status").status_code == 403
