"""logout and LINE link: revoked sessions; link requests bound to the LINE user (replace line_link_nonce)

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

    op.create_table('line_link_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_token', sa.String(length=128), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_line_link_request_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_link_request')),
    sa.UniqueConstraint('link_token', name=op.f('uq_line_link_request_link_token')),
    sa.UniqueConstraint('nonce', name=op.f('uq_line_link_request_nonce')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    # Nonces live ten minutes and were not bound to a LINE user: any still open are simply dropped (that
    # person taps the button in LINE again).
    op.drop_table('line_link_nonce')


def downgrade():
    op.create_table('line_link_nonce',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_line_link_nonce_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_link_nonce')),
    sa.UniqueConstraint('nonce', name=op.f('uq_line_link_nonce_nonce')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.drop_table('line_link_request')
    with op.batch_alter_table('revoked_session', schema=None) as batch_op:
        batch_op.drop_index('ix_revoked_session_revoked_at')

    op.drop_table('revoked_session')
