"""endorsement copies (เกษียนหนังสือ, issue 15 item 6): a note links to the signed copy of the first page it was stamped on

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('handling_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stamped_attachment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_handling_note_stamped_attachment_id_attachment'),
                                    'attachment', ['stamped_attachment_id'], ['id'])


def downgrade():
    with op.batch_alter_table('handling_note', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_handling_note_stamped_attachment_id_attachment'),
                                 type_='foreignkey')
        batch_op.drop_column('stamped_attachment_id')
