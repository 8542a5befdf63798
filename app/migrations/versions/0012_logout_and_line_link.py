"""logout: revoked sessions

Revision ID: 0012
Revises: 0011

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('revoked_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_revoked_session_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revoked_session')),
    sa.UniqueConstraint('session_key', name=op.f('uq_revoked_session_session_key')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('revoked_session', schema=None) as batch_op:
        batch_op.create_index('ix_revoked_session_revoked_at', ['revoked_at'], unique=False)


def downgrade():
    with op.batch_alter_table('revoked_session', schema=None) as batch_op:
        batch_op.drop_index('ix_revoked_session_revoked_at')

    op.drop_table('revoked_session')
