"""handling of documents inside a unit

Revision ID: 0005
Revises: 0004

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('handling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('finished_by_id', sa.Integer(), nullable=True),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_handling_delivery_id_delivery')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_handling_document_id_document')),
    sa.ForeignKeyConstraint(['finished_by_id'], ['user.id'], name=op.f('fk_handling_finished_by_id_user')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_handling_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['responsible_id'], ['user.id'], name=op.f('fk_handling_responsible_id_user')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_handling_reviewer_id_user')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_handling_signed_by_id_user')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_handling_started_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_handling_unit_id_unit')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instance.id'], name=op.f('fk_handling_workflow_instance_id_workflow_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handling')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('handling', schema=None) as batch_op:
        batch_op.create_index('ix_handling_document_unit', ['document_id', 'unit_id'], unique=False)
        batch_op.create_index('ix_handling_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('handling_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handling_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('percent_done', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_id'], ['user.id'], name=op.f('fk_handling_note_acting_for_id_user')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_handling_note_author_id_user')),
    sa.ForeignKeyConstraint(['handling_id'], ['handling.id'], name=op.f('fk_handling_note_handling_id_handling')),
    sa.ForeignKeyConstraint(['to_user_id'], ['user.id'], name=op.f('fk_handling_note_to_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handling_note')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('handling_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handling_note_handling_id'), ['handling_id'], unique=False)



def downgrade():
    with op.batch_alter_table('handling_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handling_note_handling_id'))

    op.drop_table('handling_note')
    with op.batch_alter_table('handling', schema=None) as batch_op:
        batch_op.drop_index('ix_handling_unit_status')
        batch_op.drop_index('ix_handling_document_unit')

    op.drop_table('handling')
