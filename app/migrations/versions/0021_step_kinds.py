"""workflow: each human task row names its step kind (issue 16 item 1), so task lists and services find
steps by kind, not by the diagram's ids

Revision ID: 0021
Revises: 0020

Rows of the shipped flows get the kind of their task id (app/workflow/steps.py SHIPPED_TASK_KINDS).
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

SHIPPED_TASK_KINDS = {  # as app/workflow/steps.py had them when this was written
    "review_delivery": "register", "triage": "route", "instruct": "instruct", "work": "work",
    "sign_off": "review", "revise": "revise", "finish": "finish", "cosign": "cosign",
}


def upgrade():
    with op.batch_alter_table('workflow_task') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default=''))
    task = sa.table('workflow_task', sa.column('spec_name', sa.String), sa.column('kind', sa.String))
    for spec_name, kind in SHIPPED_TASK_KINDS.items():
        op.execute(task.update().where(task.c.spec_name == spec_name).values(kind=kind))


def downgrade():
    with op.batch_alter_table('workflow_task') as batch:
        batch.drop_column('kind')
