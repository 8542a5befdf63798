"""outgoing letters numbered before the fix get their date of issue and issuing unit (issue 14 item 2)

Revision ID: 0013
Revises: 0012

A letter numbered in its unit's send register is dated the day it was numbered and comes from its owning
unit; until now both stayed empty. Letters numbered earlier are filled in the same way (the number's local
date in TIMEZONE), only where they are empty, and the migration says how many it changed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    from flask import current_app, has_app_context

    from app.core.thai_dates import to_local

    timezone_name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else "Asia/Bangkok"
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT d.id, d.owner_unit_id, d.dated, d.from_unit_id, MIN(e.created_at) "
        "FROM document d JOIN register_entry e ON e.document_id = d.id "
        "JOIN register r ON r.id = e.register_id AND r.direction = 'send' AND r.unit_id = d.owner_unit_id "
        "WHERE d.dated IS NULL OR (d.from_unit_id IS NULL AND d.from_text = '') "
        "GROUP BY d.id, d.owner_unit_id, d.dated, d.from_unit_id")).all()
    for document_id, owner_unit_id, dated, from_unit_id, numbered_at in rows:
        if isinstance(numbered_at, str):  # SQLite gives the text it stores
            from datetime import datetime

            numbered_at = datetime.fromisoformat(numbered_at)
        connection.execute(sa.text(
            "UPDATE document SET dated = :dated, from_unit_id = :from_unit WHERE id = :id"),
            {"dated": dated or to_local(numbered_at, timezone_name).date(),
             "from_unit": from_unit_id or owner_unit_id, "id": document_id})
    if rows:  # nothing to say on a new database (make run)
        print(f"0013: {len(rows)} outgoing letters given their date of issue and issuing unit")


def downgrade():
    pass  # the dates and units filled in are right; nothing to take back
