"""the open-task index covers the assignee

Revision ID: 0006
Revises: 0005

"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workflow_task', schema=None) as batch_op:
        batch_op.drop_index('ix_workflow_task_open_unit_role')
        batch_op.create_index('ix_workflow_task_open_unit_role', ['state', 'unit_id', 'lane', 'assignee_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('workflow_task', schema=None) as batch_op:
        batch_op.drop_index('ix_workflow_task_open_unit_role')
        batch_op.create_index('ix_workflow_task_open_unit_role', ['state', 'unit_id', 'lane'], unique=False)
