"""Issue 13 (R2): `esaraban backup` while clerks keep registering, `verify`, and `restore` into a second empty
database and files folder give the same letters, numbers, audit chain, files and flows; a damaged archive is
refused with a clear message."""
import io
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.attachments.services import attach_files
from app.core import audit
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.handling.models import Handling
from app.notifications.models import LineAccount, LinePush, Notification
from app.ops import backup as backups
from app.ops import restore as restores
from app.ops.archive import ArchiveError, archives_in
from app.ops.cli import OPERATIONS
from app.org.models import Unit, User
from app.registry import services as registry
from app.registry.models import Register, RegisterEntry
from app.routing import services as routing
from tests.conftest import committed_app
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.own_database
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"




def external():
    return db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))


def fill(application):
    """Two units, a letter sent and registered (its handling flow waiting for the clerk), a paper letter with
    a PDF, an unsent draft, a LINE push waiting: numbers, files, flows, notices and the LINE outbox."""
    with application.app_context():
        sender_unit, receiver_unit = make_unit(letter_code="ลย 51101"), make_unit(letter_code="ลย 51102")
        sender = Actor(user=make_user(unit=sender_unit, roles=("clerk",)))
        receiver = Actor(user=make_user(unit=receiver_unit, roles=("clerk",)))
        letter = create_document(sender, owner_unit=sender_unit, details=DocumentDetails(
            type=external(), subject="ขอเชิญประชุมคณะกรรมการ ๒๕๖๙"))
        [delivery] = routing.send(sender, letter, from_unit=sender_unit, to_units=[receiver_unit])
        handling.register_delivery(receiver, delivery)
        paper, _ = handling.receive_paper_letter(receiver, unit=receiver_unit, details=DocumentDetails(
            type=external(), subject="หนังสือจากอำเภอเมืองเลย", from_text="อำเภอเมืองเลย"))
        attach_files(receiver, paper, unit=receiver_unit, files=[("หนังสือ.pdf", io.BytesIO(PDF))])
        create_document(sender, owner_unit=sender_unit, details=DocumentDetails(type=external(), subject="ร่าง"))
        register = registry.default_register(receiver_unit, "receive")
        # the LINE outbox: the receiving clerk's linked account and a push of the arrival still waiting
        db.session.add(LineAccount(user_id=receiver.user.id, line_user_id="U" + "a1" * 16))
        arrival = db.session.scalar(select(Notification).where(Notification.user_id == receiver.user.id))
        db.session.add(LinePush(user_id=receiver.user.id, retry_key=str(uuid.uuid4()), message_count=1,
                                notifications=[arrival]))
        db.session.commit()
        return {"user": receiver.user.id, "unit": receiver_unit.id, "register": register.id,
                "delivery": delivery.id}


def keep_registering(application, ids, stop, registered):
    with application.app_context():
        while not stop.is_set():
            actor = Actor(user=db.session.get(User, ids["user"]))
            unit = db.session.get(Unit, ids["unit"])
            document = create_document(actor, owner_unit=unit, details=DocumentDetails(
                type=external(), subject="หนังสือระหว่างสำรองข้อมูล"))
            registry.issue_number(actor, db.session.get(Register, ids["register"]), document)
            db.session.commit()
            db.session.remove()
            registered.append(1)


def table_rows(application):
    with application.app_context():
        return {table.name: sorted(tuple(str(v) for v in row) for row in db.session.execute(select(table)))
                for table in backups.backed_up_tables()}


@pytest.fixture
def source(tmp_path):
    with committed_app("_backup_source", FILES_PATH=str(tmp_path / "files")) as application:
        yield application, fill(application)


@pytest.fixture
def target(tmp_path):
    files = tmp_path / "restored-files"
    with committed_app("_backup_target", with_schema=False, FILES_PATH=str(files)) as application:
        yield application


def test_a_backup_taken_while_clerks_register_restores_whole_elsewhere(source, target, tmp_path):
    application, ids = source
    stop, registered = threading.Event(), []
    writer = threading.Thread(target=keep_registering, args=(application, ids, stop, registered))
    writer.start()
    try:
        while len(registered) < 5:
            stop.wait(0.05)
        with application.app_context():
            result = backups.backup(tmp_path / "backups", keep=3)
        during = len(registered)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert len(registered) > 5 and during >= 5

    with target.app_context():
        restored = restores.restore(result.path)
        numbers = db.session.scalars(select(RegisterEntry.number).where(
            RegisterEntry.register_id == ids["register"]).order_by(RegisterEntry.number)).all()
        assert numbers == list(range(1, len(numbers) + 1)), "a consistent snapshot: gap-free numbers"
        assert restored.rows_loaded == {name: t["rows"] for name, t in result.manifest["tables"].items()}
        assert audit.verify_chain() is None
        assert restored.files_restored == 1 and restored.search_rows > 0
        # registering goes on with the next number, and the letter's flow takes its next step
        actor = Actor(user=db.session.get(User, ids["user"]))
        document = create_document(actor, owner_unit=db.session.get(Unit, ids["unit"]),
                                   details=DocumentDetails(type=external(), subject="หลังกู้คืน"))
        entry = registry.issue_number(actor, db.session.get(Register, ids["register"]), document)
        db.session.commit()
        assert entry.number == len(numbers) + 1
        waiting = db.session.scalar(select(Handling).where(Handling.delivery_id == ids["delivery"]))
        handling.close(actor, waiting, note="ดำเนินการเรียบร้อย")
        db.session.commit()
        assert waiting.status == "closed"


def test_a_quiet_backup_restores_every_row_and_file_the_same(source, target, tmp_path):
    application, _ = source
    with application.app_context():
        result = backups.backup(tmp_path / "backups", keep=3)
    with target.app_context():
        restores.restore(result.path)

    assert table_rows(target) == table_rows(application)
    with target.app_context():
        [push] = db.session.scalars(select(LinePush)).all()
        assert push.status == "pending" and len(push.notifications) == 1
    source_files = sorted(p.name for p in (tmp_path / "files").glob("*/*/*") if p.is_file())
    restored_files = sorted(p.name for p in (tmp_path / "restored-files").glob("*/*/*") if p.is_file())
    assert restored_files == source_files and len(source_files) == 1


def test_verify_loads_the_archive_and_a_damaged_byte_is_refused(source, target, tmp_path):
    application, _ = source
    with application.app_context():
        result = backups.backup(tmp_path / "backups", keep=3)
        checked = restores.verify(result.path, f"sqlite:///{tmp_path}/scratch.sqlite3")
        assert checked.rows_loaded["document"] == result.manifest["tables"]["document"]["rows"] == 3

    original = result.path.read_bytes()
    # a header, a member's data, the padding after it, the blank blocks at the end: any byte is found
    for position in (100, len(original) // 3, len(original) // 2, len(original) - 1):
        data = bytearray(original)
        data[position] ^= 0x01
        result.path.write_bytes(bytes(data))
        with application.app_context():
            with pytest.raises(ArchiveError, match="damaged|not a readable"):
                restores.verify(result.path, f"sqlite:///{tmp_path}/scratch-{position}.sqlite3")
    with target.app_context():
        with pytest.raises(ArchiveError):
            restores.restore(result.path)
        assert restores.database_is_empty()


def test_a_damaged_pooled_file_is_refused(source, tmp_path):
    application, _ = source
    with application.app_context():
        result = backups.backup(tmp_path / "backups", keep=3)
    pooled = next((tmp_path / "backups" / "files").glob("*/*/*"))
    pooled.write_bytes(pooled.read_bytes() + b"x")
    with application.app_context():
        with pytest.raises(ArchiveError, match="damaged"):
            restores.verify(result.path, f"sqlite:///{tmp_path}/scratch.sqlite3")


def test_restore_refuses_a_database_in_use(source, tmp_path):
    application, _ = source
    with application.app_context():
        result = backups.backup(tmp_path / "backups", keep=3)
        with pytest.raises(restores.NotEmpty):
            restores.restore(result.path)
        assert db.session.scalar(select(func.count()).select_from(RegisterEntry)) > 0


@pytest.mark.parametrize("passphrase, suffix", [(None, ".tar"), ("ข้าวเหนียว-มะม่วง-2569", ".tar.enc")])
def test_unchanged_files_are_not_copied_again_and_only_the_last_n_are_kept(source, tmp_path, passphrase, suffix):
    application, _ = source
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)
    with application.app_context():
        copied = [backups.backup(tmp_path / "backups", keep=2, now=start + timedelta(hours=i),
                                 passphrase=passphrase).files_copied for i in range(3)]
    assert copied == [1, 0, 0]
    assert [p.name for p in archives_in(tmp_path / "backups")] == [
        f"esaraban-backup-20261201T020000Z{suffix}", f"esaraban-backup-20261201T030000Z{suffix}"]
    assert len(list((tmp_path / "backups" / "files").glob("*/*/*"))) == 1


def test_the_commands_say_what_they_did(source, tmp_path):
    application, _ = source
    runner = application.test_cli_runner()
    assert {c.name for c in OPERATIONS} == {"backup", "verify", "restore", "status", "upgrade", "setup"}

    made = runner.invoke(args=["backup", "--to", str(tmp_path / "cli")])
    assert made.exit_code == 0, made.output
    archive_path = archives_in(tmp_path / "cli")[-1]
    checked = runner.invoke(args=["verify", str(archive_path)])
    assert checked.exit_code == 0 and "The archive is good" in checked.output
    refused = runner.invoke(args=["restore", str(archive_path)])
    assert refused.exit_code == 1 and "Not restored" in refused.output
    Path(archive_path).write_bytes(b"not a tar")
    bad = runner.invoke(args=["verify", str(archive_path)])
    assert bad.exit_code == 1 and "not good" in bad.output and "Traceback" not in bad.output


# ---- esaraban upgrade --------------------------------------------------------------------------------------

OLD_RELEASE = "0008"  # the schema of the release before the follow-up list and search


@pytest.fixture
def old_release(tmp_path):
    """A database made by the oldest migration path up to an earlier release, with a unit in it."""
    from flask_migrate import upgrade as alembic_upgrade

    with committed_app("_upgrade", with_schema=False, FILES_PATH=str(tmp_path / "files"),
                       BACKUP_PATH=str(tmp_path / "backups")) as application:
        with application.app_context():
            alembic_upgrade(revision=OLD_RELEASE)
            db.session.execute(text(
                "INSERT INTO unit (code, kind, name_th, name_en, letter_code, is_active, sort_order, created_at) "
                "VALUES ('old-unit', 'division', 'กองจากรุ่นก่อน', 'Old unit', 'ลย 51999', 1, 0, "
                "'2025-10-01 08:00:00')"))
            db.session.commit()
        yield application


def test_upgrade_backs_up_then_migrates_an_earlier_release_to_now(old_release):
    from app.ops import upgrade

    with old_release.app_context():
        result = upgrade.upgrade()
        assert (result.from_revision, result.to_revision) == (OLD_RELEASE, upgrade.head_revision())
        assert result.failure is None and result.archive.manifest["schema_revision"] == OLD_RELEASE
        assert db.session.scalar(select(Unit.name_th).where(Unit.code == "old-unit")) == "กองจากรุ่นก่อน"
        assert upgrade.upgrade().archive is None  # up to date: nothing to do


def test_a_failed_migration_leaves_the_database_as_it_was(old_release):
    from flask_migrate import upgrade as alembic_upgrade

    from app.ops import upgrade

    def fails_half_way():
        alembic_upgrade(revision="0010")
        raise RuntimeError("migration 0011 failed")

    with old_release.app_context():
        result = upgrade.upgrade(migrate=fails_half_way)
        assert result.restored and str(result.failure) == "migration 0011 failed"
        assert upgrade.current_revision() == OLD_RELEASE
        assert db.session.execute(text("SELECT name_th FROM unit WHERE code = 'old-unit'")).scalar() \
            == "กองจากรุ่นก่อน"
        from sqlalchemy import inspect

        assert "search_entry" not in inspect(db.engine).get_table_names()


def test_the_upgrade_command_says_what_to_restart(old_release):
    output = old_release.test_cli_runner().invoke(args=["upgrade"])

    assert output.exit_code == 0, output.output
    assert "systemctl restart esaraban-web esaraban-worker" in output.output


# ---- encryption (BACKUP_PASSPHRASE) ------------------------------------------------------------------------

PASSPHRASE = "ข้าวเหนียว-มะม่วง-2569"


def test_an_encrypted_backup_hides_everything_and_restores_with_its_passphrase(source, target, tmp_path):
    application, _ = source
    folder = tmp_path / "sealed"
    with application.app_context():
        result = backups.backup(folder, keep=3, passphrase=PASSPHRASE)
    assert result.path.name.endswith(".tar.enc")
    stored = [result.path, *(p for p in (folder / "files").glob("*/*/*"))]
    assert all(b"%PDF" not in p.read_bytes() and "ขอเชิญประชุม".encode() not in p.read_bytes() for p in stored)

    with application.app_context():
        with pytest.raises(ArchiveError, match="passphrase is not the one"):
            restores.verify(result.path, f"sqlite:///{tmp_path}/wrong.sqlite3", passphrase="ผิด")
        with pytest.raises(ArchiveError, match="set BACKUP_PASSPHRASE"):
            restores.verify(result.path, f"sqlite:///{tmp_path}/none.sqlite3")
        checked = restores.verify(result.path, f"sqlite:///{tmp_path}/right.sqlite3", passphrase=PASSPHRASE)
        assert checked.rows_loaded["document"] == 3
    with target.app_context():
        restores.restore(result.path, passphrase=PASSPHRASE)
    assert table_rows(target) == table_rows(application)
    restored = next((tmp_path / "restored-files").glob("*/*/*"))
    assert restored.read_bytes() == PDF


def test_a_changed_byte_of_an_encrypted_backup_is_found(source, tmp_path):
    application, _ = source
    with application.app_context():
        result = backups.backup(tmp_path / "sealed", keep=3, passphrase=PASSPHRASE)
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))

    with application.app_context():
        with pytest.raises(ArchiveError, match="damaged"):
            restores.verify(result.path, f"sqlite:///{tmp_path}/scratch.sqlite3", passphrase=PASSPHRASE)


def test_plain_and_encrypted_backups_never_share_a_folder(source, tmp_path):
    application, _ = source
    with application.app_context():
        backups.backup(tmp_path / "plain", keep=3)
        with pytest.raises(ArchiveError, match="unencrypted backups"):
            backups.backup(tmp_path / "plain", keep=3, passphrase=PASSPHRASE)
        backups.backup(tmp_path / "sealed", keep=3, passphrase=PASSPHRASE)
        with pytest.raises(ArchiveError, match="set BACKUP_PASSPHRASE"):
            backups.backup(tmp_path / "sealed", keep=3)


def test_a_table_made_by_hand_is_backed_up_but_left_out_with_a_word(source, target, tmp_path):
    application, _ = source
    with application.app_context():
        db.session.execute(text("CREATE TABLE local_notes (id INT PRIMARY KEY, note VARCHAR(50))"))
        db.session.execute(text("INSERT INTO local_notes VALUES (1, 'ของฝ่ายไอที')"))
        db.session.commit()
        result = backups.backup(tmp_path / "backups", keep=3)
    with target.app_context():
        restored = restores.restore(result.path)

    assert result.manifest["tables"]["local_notes"]["rows"] == 1
    assert restored.left_out == ["local_notes"] and restored.rows_loaded["document"] == 3
