"""Commands for the IT officer: `flask org import`, `flask users create|reset-password`, `flask demo load`."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.auth import passwords
from app.auth.services import reset_password
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.text import clean_line
from app.documents.models import Document
from app.extensions import db
from app.org import demo, importing, queries, services
from app.org.models import ManagerLevel, Role, Unit

org_cli = AppGroup("org", help="Org chart (units).")
users_cli = AppGroup("users", help="User accounts.")
demo_cli = AppGroup("demo", help="The demo organisation.")

CLI_ACTOR = Actor.system("cli")


def _fail(message):
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@org_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_org(csv_file):
    """Create or update units from CSV_FILE (columns: code,parent_code,kind,name_th,name_en,letter_code)."""
    try:
        created, updated = importing.import_units(CLI_ACTOR, importing.parse_units_csv(
            csv_file.read_text(encoding="utf-8")))
        db.session.commit()
    except (BusinessRuleError, UnicodeDecodeError) as error:
        _fail(getattr(error, "message", "the file is not UTF-8 text"))
    click.echo(f"Imported {csv_file.name}: {created} units created, {updated} updated.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name-th", required=True, help="Full name in Thai.")
@click.option("--name-en", default="", help="Full name in English.")
@click.option("--unit", "unit_code", required=True, help="Code of the user's unit.")
@click.option("--position", default="", help="Position title (ตำแหน่ง).")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]),
              help="A role in the unit; repeat for several.")
@click.option("--manager-level", type=click.Choice([lv.value for lv in ManagerLevel]),
              help="Required with --role manager.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, name_th, name_en, unit_code, position, roles, manager_level, password_stdin):
    """Create USERNAME. Without --password-stdin a one-time password is printed; it must be changed."""
    unit = queries.unit_by_code(unit_code.lower())
    if unit is None:
        _fail(f"no unit with code {unit_code!r}")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else passwords.temporary_password()
    role_pairs = [(role, manager_level if role == Role.MANAGER else None) for role in roles]
    try:
        services.create_user(CLI_ACTOR, username=clean_line(username), full_name_th=clean_line(name_th),
                             full_name_en=clean_line(name_en), position_title=clean_line(position), unit=unit,
                             roles=role_pairs, password=password, must_change_password=not password_stdin)
        db.session.commit()
    except BusinessRuleError as error:
        _fail(error.message)
    click.echo(f"Created user {username.lower()} in {unit.name_th}.")
    if not password_stdin:
        click.echo(f"One-time password: {password}  (to be changed at first login)")


@users_cli.command("reset-password")
@click.argument("username")
def reset_user_password(username):
    """Give USERNAME a one-time password that must be changed at the next login."""
    user = queries.user_by_username(username)
    if user is None:
        _fail(f"no user named {username!r}")
    temporary = reset_password(CLI_ACTOR, user)
    db.session.commit()
    click.echo(f"One-time password for {user.username}: {temporary}  (to be changed at next login)")


@demo_cli.command("load")
def load_demo():
    """Load the demo organisation (อบจ.เลย) and its demo users, unless the database already has units."""
    if db.session.scalar(select(Unit.id).limit(1)) is not None:
        click.echo("The database already has an organisation; the demo was not loaded.")
        return
    demo.load(CLI_ACTOR)
    db.session.commit()
    letters = db.session.scalar(select(func.count(Document.id)))
    click.echo(f"Loaded the demo organisation with {len(demo.USERS)} users and {letters} letters.")


@demo_cli.command("logins")
def demo_logins():
    """Print the demo logins."""
    click.echo(demo.logins_text())
