"""workflow: a draft per flow edited in the browser, with the version it was started from (issue 16 item 3)

Revision ID: 0028
Revises: 0027
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workflow_draft',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('xml', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'),
              nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['based_on_id'], ['workflow_definition.id'],
                            name=op.f('fk_workflow_draft_based_on_id_workflow_definition')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_workflow_draft_updated_by_id_user')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_workflow_draft')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )


def downgrade():
    op.drop_table('workflow_draft')
