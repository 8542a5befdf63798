"""The migrations build exactly the schema the models describe, on MariaDB and on SQLite."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def schema_differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_mariadb_schema_built_by_migrations_matches_the_models(db_session):
    assert schema_differences(db.session.connection()) == []


@pytest.mark.own_database
def test_sqlite_schema_built_by_migrations_matches_the_models_and_downgrades(tmp_path):
    app = create_app(environ={"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []


def external_type_on_an_old_schema():
    """The "external" document type read with today's model from a schema before 0023: the columns added
    since are not read."""
    from sqlalchemy import select
    from sqlalchemy.orm import defer

    from app.documents.models import DocumentType

    later = (DocumentType.delivery_flow, DocumentType.handling_flow, DocumentType.outgoing_flow,
             DocumentType.default_speed, DocumentType.default_secrecy, DocumentType.default_due_days)
    return db.session.scalar(select(DocumentType).options(*(defer(column) for column in later))
                             .where(DocumentType.code == "external"))


@pytest.mark.own_database
def test_0013_dates_outgoing_letters_numbered_before_and_names_their_unit(tmp_path):
    """Issue 14 item 2: letters numbered before the fix had no ลงวันที่ and no จาก; the migration gives them
    the local day of their number and their owning unit, and leaves letters that have them alone."""
    from datetime import date, datetime

    from sqlalchemy import select, text

    from app.core.actor import Actor
    from app.documents.models import Document
    from app.documents.services import DocumentDetails, create_document, take_send_number
    from tests.factories import make_unit, make_user

    app = create_app(environ={"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3", "TIMEZONE": "Asia/Bangkok"})
    with app.app_context():
        upgrade(revision="0012")
        unit = make_unit(letter_code="ลย 51001")
        clerk = Actor(user=make_user(unit=unit, roles=("clerk",)))
        external = external_type_on_an_old_schema()
        old, kept = (create_document(clerk, owner_unit=unit, details=DocumentDetails(type=external, subject=s))
                     for s in ("หนังสือส่งก่อนแก้", "หนังสือที่มีวันที่แล้ว"))
        take_send_number(clerk, old)
        take_send_number(clerk, kept)
        db.session.commit()
        old_id, kept_id, unit_id = old.id, kept.id, unit.id
        # as the old code left them: numbered at 00:30 on 1 December in Loei (17:30 UTC the day before)
        db.session.execute(text("UPDATE register_entry SET created_at = :at WHERE document_id = :id"),
                           {"at": datetime(2026, 11, 30, 17, 30), "id": old_id})
        db.session.execute(text("UPDATE document SET dated = NULL, from_unit_id = NULL WHERE id = :id"),
                           {"id": old_id})
        db.session.execute(text("UPDATE document SET dated = '2026-10-01' WHERE id = :id"), {"id": kept_id})
        db.session.commit()
        db.session.remove()

        upgrade()

        rows = dict((d.id, (d.dated, d.from_unit_id)) for d in db.session.scalars(select(Document)))
        assert rows[old_id] == (date(2026, 12, 1), unit_id)
        assert rows[kept_id] == (date(2026, 10, 1), unit_id)
        db.session.remove()
        db.engine.dispose()


@pytest.mark.own_database
def test_0014_moves_back_dates_typed_in_the_buddhist_era_into_the_browsers_box(tmp_path, capsys):
    """Issue 14 item 1: 28/11/2569 typed into a Christian-era date box was stored as 2569-11-28 and shown as
    28 พฤศจิกายน 3112; the migration puts such dates back and says how many, leaving right ones alone."""
    from datetime import date

    from sqlalchemy import select

    from app.core.actor import Actor
    from app.documents.models import Document, DueDateChange
    from app.documents.services import DocumentDetails, create_document
    from tests.factories import make_unit, make_user

    app = create_app(environ={"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"})
    with app.app_context():
        upgrade(revision="0013")
        unit = make_unit()
        clerk = Actor(user=make_user(unit=unit, roles=("clerk",)))
        external = external_type_on_an_old_schema()
        wrong, right = (create_document(clerk, owner_unit=unit, details=DocumentDetails(
            type=external, subject=subject, dated=dated, due_date=due))
            for subject, dated, due in (("พิมพ์ปี พ.ศ.", date(2569, 11, 28), date(2572, 2, 29)),
                                        ("พิมพ์ถูก", date(2026, 11, 28), None)))
        db.session.add(DueDateChange(document_id=right.id, old_due_date=None, new_due_date=date(2570, 1, 15),
                                     reason="ขยายเวลา", changed_by_id=clerk.user.id))
        db.session.commit()
        wrong_id, right_id = wrong.id, right.id
        db.session.remove()

        upgrade()

        documents = {d.id: (d.dated, d.due_date) for d in db.session.scalars(select(Document))}
        assert documents[wrong_id] == (date(2026, 11, 28), date(2029, 2, 28))
        assert documents[right_id] == (date(2026, 11, 28), None)
        assert db.session.scalar(select(DueDateChange.new_due_date)) == date(2027, 1, 15)
        said = capsys.readouterr().out
        assert "document.dated: 1 dates moved back" in said and "due_date_change.new_due_date: 1" in said
        db.session.remove()
        db.engine.dispose()
