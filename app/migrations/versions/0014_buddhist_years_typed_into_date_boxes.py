"""dates stored 543 years ahead are put back (issue 14 item 1)

Revision ID: 0014
Revises: 0013

The browser's date box takes Christian-era years, and a clerk who typed the Buddhist year into it (2569)
stored 28 พฤศจิกายน 3112. No date the office keeps lies in or after the Christian year 2400, so every such
date is moved back 543 years (a 29 February that then falls in a common year becomes the 28th). The
migration prints what it changed, table by table; the search rows of the documents it changed follow.
"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BUDDHIST_ERA_OFFSET = 543
DATE_COLUMNS = {
    "document": ("dated", "due_date"),
    "due_date_change": ("old_due_date", "new_due_date"),
    "delegation": ("starts_on", "ends_on"),
    "search_entry": ("dated", "due_date"),
}


def _moved_back(value):
    if isinstance(value, str):  # SQLite gives the text it stores
        value = date.fromisoformat(value[:10])
    try:
        return value.replace(year=value.year - BUDDHIST_ERA_OFFSET)
    except ValueError:  # 29 February in a year that has none
        return value.replace(year=value.year - BUDDHIST_ERA_OFFSET, day=28)


def upgrade():
    connection = op.get_bind()
    for table, columns in DATE_COLUMNS.items():
        for column in columns:
            rows = connection.execute(sa.text(
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} >= :limit"), {"limit": "2400-01-01"}).all()
            changed = 0
            for (value,) in rows:
                result = connection.execute(sa.text(
                    f"UPDATE {table} SET {column} = :fixed WHERE {column} = :wrong"),
                    {"fixed": _moved_back(value), "wrong": value})
                changed += result.rowcount
            if changed:
                print(f"0014: {table}.{column}: {changed} dates moved back 543 years")


def downgrade():
    pass  # the dates put back are the ones that were meant
