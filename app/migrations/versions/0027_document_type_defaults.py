"""document types' defaults for their new documents (issue 16 item 2): speed, secrecy, due in days

Revision ID: 0027
Revises: 0023
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document_type') as batch:
        batch.add_column(sa.Column('default_speed', sa.String(length=16), nullable=False, server_default='normal'))
        batch.add_column(sa.Column('default_secrecy', sa.String(length=16), nullable=False,
                                   server_default='normal'))
        batch.add_column(sa.Column('default_due_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('document_type') as batch:
        batch.drop_column('default_due_days')
        batch.drop_column('default_secrecy')
        batch.drop_column('default_speed')
