"""dashboard indexes: returned deliveries by sending unit, registrations by receiving unit and date

Revision ID: 0011
Revises: 0010

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_from_unit_status', ['from_unit_id', 'status'], unique=False)
        batch_op.create_index('ix_delivery_to_unit_registered', ['to_unit_id', 'registered_at'], unique=False)



def downgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_to_unit_registered')
        batch_op.drop_index('ix_delivery_from_unit_status')

