"""document types name the flows their documents follow (issue 16 item 2): delivery, work in the unit,
outgoing; the shipped flows by default

Revision ID: 0023
Revises: 0022
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

STAGES = (('delivery_flow', 'delivery'), ('handling_flow', 'handling'), ('outgoing_flow', 'outgoing'))


def upgrade():
    with op.batch_alter_table('document_type') as batch:
        for column, default in STAGES:
            batch.add_column(sa.Column(column, sa.String(length=64), nullable=False, server_default=default))


def downgrade():
    with op.batch_alter_table('document_type') as batch:
        for column, _ in reversed(STAGES):
            batch.drop_column(column)
