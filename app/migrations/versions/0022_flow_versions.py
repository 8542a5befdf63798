"""workflow: who published each version of a flow, and the version an admin made current (issue 16
item 5: upload, history, rollback)

Revision ID: 0022
Revises: 0021
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workflow_definition') as batch:
        batch.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('note', sa.String(length=500), nullable=False, server_default=''))
        batch.create_foreign_key('fk_workflow_definition_published_by_id_user', 'user', ['published_by_id'],
                                 ['id'])
    op.create_table('workflow_flow',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('current_definition_id', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['current_definition_id'], ['workflow_definition.id'],
                            name=op.f('fk_workflow_flow_current_definition_id_workflow_definition')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_workflow_flow_updated_by_id_user')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_workflow_flow')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )


def downgrade():
    op.drop_table('workflow_flow')
    with op.batch_alter_table('workflow_definition') as batch:
        batch.drop_constraint('fk_workflow_definition_published_by_id_user', type_='foreignkey')
        batch.drop_column('note')
        batch.drop_column('published_by_id')
