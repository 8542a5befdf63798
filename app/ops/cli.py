"""`esaraban backup|verify|restore` (also `flask --app app backup` ...): the IT officer's commands, with help
in Thai and English and progress for long work. Exit status 0 when all is well, 1 when the admin must act."""
import logging
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from app.ops import backup as backups
from app.ops import restore as restores
from app.ops.archive import ArchiveError


def _quiet_migrations():
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _progress(message):
    click.echo(f"  … {message}", err=True)


@click.command("backup", help="สำรองฐานข้อมูลและไฟล์แนบเป็นไฟล์เดียว / Back up the database and attached "
                               "files into one archive (runs while people work).")
@click.option("--to", "target", type=click.Path(file_okay=False), default=None,
              help="โฟลเดอร์ปลายทาง / folder for the archive (default BACKUP_PATH)")
@with_appcontext
def backup_command(target):
    root = Path(target or current_app.config["BACKUP_PATH"])
    click.echo(f"กำลังสำรองข้อมูลไปที่ / Backing up to {root}")
    try:
        result = backups.backup(root, keep=current_app.config["BACKUP_KEEP"], progress=_progress,
                                passphrase=current_app.config["BACKUP_PASSPHRASE"])
    except ArchiveError as error:
        click.echo(f"สำรองข้อมูลไม่สำเร็จ / Backup failed: {error}", err=True)
        sys.exit(1)
    for line in backups.describe(result.manifest)[:2]:
        click.echo(line)
    click.echo(f"{result.path} ({result.path.stat().st_size:,} bytes, {result.files_copied} new files copied, "
               f"{result.seconds:.1f} s)")
    for removed in result.removed:
        click.echo(f"ลบไฟล์สำรองเก่า / removed old archive {removed.name}")


@click.command("verify", help="ตรวจไฟล์สำรองว่าครบและกู้คืนได้ / Check an archive's checksums and that it "
                               "loads into a scratch database.")
@click.argument("archive_path", type=click.Path(dir_okay=False))
@with_appcontext
def verify_command(archive_path):
    _quiet_migrations()
    with tempfile.TemporaryDirectory(prefix="esaraban-verify-") as scratch:
        try:
            result = restores.verify(archive_path, f"sqlite:///{scratch}/verify.sqlite3", progress=_progress,
                                     passphrase=current_app.config["BACKUP_PASSPHRASE"])
        except ArchiveError as error:
            click.echo(f"ไฟล์สำรองใช้ไม่ได้ / The archive is not good: {error}", err=True)
            sys.exit(1)
    for line in backups.describe(result.manifest)[:2]:
        click.echo(line)
    _say_left_out(result.left_out)
    click.echo("ไฟล์สำรองสมบูรณ์ / The archive is good: every checksum matches and every table loads.")


@click.command("restore", help="กู้คืนจากไฟล์สำรองลงฐานข้อมูลและโฟลเดอร์ไฟล์ที่ว่าง / Restore an archive into "
                                "an empty database and files folder.")
@click.argument("archive_path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="เขียนทับข้อมูลที่มีอยู่ (ต้องพิมพ์ชื่อหน่วยงานยืนยัน) / overwrite "
                                            "what is there (asks for the organisation's name)")
@with_appcontext
def restore_command(archive_path, force):
    _quiet_migrations()
    if force and not _confirmed_by_name():
        click.echo("ยกเลิก: ชื่อหน่วยงานไม่ตรง / Cancelled: the name does not match.", err=True)
        sys.exit(1)
    try:
        result = restores.restore(archive_path, force=force, progress=_progress,
                                  passphrase=current_app.config["BACKUP_PASSPHRASE"])
    except restores.NotEmpty as error:
        click.echo(f"ไม่กู้คืน / Not restored: {error}. ใช้ --force เพื่อเขียนทับ / Use --force to overwrite.",
                   err=True)
        sys.exit(1)
    except ArchiveError as error:
        click.echo(f"ไม่กู้คืน: ไฟล์สำรองใช้ไม่ได้ / Not restored, the archive is not good: {error}", err=True)
        sys.exit(1)
    for line in backups.describe(result.manifest):
        click.echo(line)
    _say_left_out(result.left_out)
    click.echo(f"กู้คืนแล้ว / Restored: {sum(result.rows_loaded.values())} rows, {result.files_restored} files, "
               f"{result.search_rows} documents indexed for search.")


def _say_left_out(names):
    if names:
        click.echo(f"ข้ามตารางที่ไม่ใช่ของระบบ / Left out, not e-Saraban's tables: {', '.join(names)}")


def _confirmed_by_name():
    name = backups.organisation_name()
    typed = click.prompt(f"พิมพ์ชื่อหน่วยงาน '{name}' เพื่อยืนยันการเขียนทับ / Type the organisation's name to "
                         "overwrite it")
    return bool(name) and typed.strip() == name


@click.command("status", help="สถานะระบบ: ฐานข้อมูล Redis worker คิวงาน LINE พื้นที่ดิสก์ และการสำรองข้อมูลล่าสุด / "
                               "The system's state; exit status 1 when something needs the admin.")
@with_appcontext
def status_command():
    from app.ops import status

    checks = status.collect()
    for check in checks:
        mark = "OK " if check.ok else "!! "
        click.echo(f"{mark} {check.label}: {check.detail}")
    problems = status.needing_admin(checks)
    if problems:
        click.echo(f"ต้องดำเนินการ {len(problems)} เรื่อง / {len(problems)} thing(s) need the admin.", err=True)
        sys.exit(1)


@click.command("upgrade", help="ปรับรุ่นฐานข้อมูล: สำรองข้อมูลก่อน แล้วจึง migrate; ถ้าล้มเหลวจะกู้คืนให้ / Back up, "
                                "then migrate the database; a failed migration is undone from the backup.")
@with_appcontext
def upgrade_command():
    from app.ops import upgrade

    _quiet_migrations()
    result = upgrade.upgrade(progress=_progress)
    if result.archive is None and result.failure is None and result.from_revision == result.to_revision:
        click.echo(f"ฐานข้อมูลเป็นรุ่นล่าสุดแล้ว / The database is up to date (schema {result.to_revision}).")
        return
    if result.archive is not None:
        click.echo(f"สำรองข้อมูลก่อนปรับรุ่น / Backed up first: {result.archive.path}")
    if result.failure is not None:
        click.echo(f"ปรับรุ่นไม่สำเร็จ / The upgrade failed: {type(result.failure).__name__}: {result.failure}",
                   err=True)
        if result.restored:
            click.echo(f"กู้ฐานข้อมูลกลับเป็นเหมือนเดิมแล้ว (รุ่น {result.to_revision}) / The database was put "
                       f"back as it was (schema {result.to_revision}). Nothing needs restarting.", err=True)
        sys.exit(1)
    click.echo(f"ปรับรุ่นแล้ว / Upgraded: schema {result.from_revision or '-'} → {result.to_revision}")
    click.echo(f"ให้เริ่มเว็บและ worker ใหม่ / Now restart the web and the worker: {upgrade.RESTART_HINT}")


@click.command("setup", help="ครั้งแรกของระบบใหม่: สร้างหน่วยงานและผู้ดูแลระบบคนแรก (ไม่ทำซ้ำ) / First run: the "
                              "organisation's top unit and the first administrator (done once).")
@click.option("--org-name", default="", help="ชื่อหน่วยงาน / the organisation's Thai name (first run)")
@click.option("--letter-code", default="", help="รหัสหนังสือ เช่น ลย 51001 / letter code, e.g. ลย 51001 (first run)")
@with_appcontext
def setup_command(org_name, letter_code):
    from app.core.errors import BusinessRuleError
    from app.extensions import db
    from app.ops.setup import first_organisation, is_set_up

    if not is_set_up() and not (org_name.strip() and letter_code.strip()):
        click.echo("ระบบใหม่: ต้องระบุ --org-name และ --letter-code / A new system: give --org-name and "
                   "--letter-code.", err=True)
        sys.exit(1)
    try:
        result = first_organisation(name_th=org_name, letter_code=letter_code)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        click.echo(f"ตั้งค่าไม่สำเร็จ / Setup failed: {error.message}", err=True)
        sys.exit(1)
    if not result.created:
        click.echo(f"ตั้งค่าไว้แล้ว / Already set up: {result.organisation}")
        return
    click.echo(f"สร้างหน่วยงาน / Created: {result.organisation}")
    click.echo(f"ผู้ดูแลระบบ / Administrator: {result.admin_username}")
    click.echo(f"รหัสผ่านใช้ครั้งเดียว / One-time password: {result.one_time_password}")


OPERATIONS = (backup_command, verify_command, restore_command, status_command, upgrade_command, setup_command)


def _create_app():
    from app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False,
                  help="e-Saraban: คำสั่งสำหรับผู้ดูแลระบบ / the IT officer's commands.")
