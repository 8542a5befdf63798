"""signing: the organisation's electronic seal for หนังสือประทับตรา (issue 15 item 3)

Revision ID: 0019
Revises: 0018

One row per certificate of the seal our CA issues to the organisation; its key sealed under
SIGNING_SEAL_PASSPHRASE (or a passphrase derived from SECRET_KEY), dropped when it is revoked.
(Written beside 0018 on another branch: the merge re-chains this onto 0018.)

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BLOB = sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), 'mariadb').with_variant(mysql.MEDIUMBLOB(), 'mysql')


def upgrade():
    op.create_table('signing_seal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('serial_hex', sa.String(length=64), nullable=False),
    sa.Column('common_name', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('certificate_der', BLOB, nullable=False),
    sa.Column('key_sealed', BLOB, nullable=True),
    sa.Column('not_before', sa.DateTime(), nullable=False),
    sa.Column('not_after', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('renewed_from_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=32), nullable=False),
    sa.Column('revocation_note', sa.Text(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_signing_seal_issued_by_id_user')),
    sa.ForeignKeyConstraint(['renewed_from_id'], ['signing_seal.id'],
                            name=op.f('fk_signing_seal_renewed_from_id_signing_seal')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_signing_seal_revoked_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_seal')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('signing_seal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_seal_serial_hex'), ['serial_hex'], unique=False)
        batch_op.create_index('ix_signing_seal_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('signing_seal', schema=None) as batch_op:
        batch_op.drop_index('ix_signing_seal_status')
        batch_op.drop_index(batch_op.f('ix_signing_seal_serial_hex'))
    op.drop_table('signing_seal')
