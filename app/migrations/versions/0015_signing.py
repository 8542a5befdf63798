"""signing: CA, profiles, certificates, PIN lock (issue 15 item 4)

Revision ID: 0015
Revises: 0014

The organisation's CA (its key sealed under SIGNING_CA_PASSPHRASE), each user's signing profile (PIN check,
key pair sealed under the PIN, signature image), their certificates, and the wrong-PIN lock (no foreign
key: it is written on a connection of its own, app/signing/lockout.py).

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

BLOB = sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), 'mariadb').with_variant(mysql.MEDIUMBLOB(), 'mysql')


def upgrade():
    op.create_table('signing_authority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('certificate_der', BLOB, nullable=False),
    sa.Column('key_sealed', BLOB, nullable=False),
    sa.Column('crl_number', sa.Integer(), nullable=False),
    sa.Column('crl_der', BLOB, nullable=True),
    sa.Column('crl_this_update', sa.DateTime(), nullable=True),
    sa.Column('crl_next_update', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_authority')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('signing_pin_lock',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_signing_pin_lock')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('signing_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('serial_hex', sa.String(length=64), nullable=False),
    sa.Column('subject_name', sa.String(length=300), nullable=False),
    sa.Column('subject_title', sa.String(length=300), nullable=False),
    sa.Column('issuer_name', sa.String(length=500), nullable=False),
    sa.Column('certificate_der', BLOB, nullable=True),
    sa.Column('chain_der', BLOB, nullable=True),
    sa.Column('key_sealed', BLOB, nullable=True),
    sa.Column('not_before', sa.DateTime(), nullable=True),
    sa.Column('not_after', sa.DateTime(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=32), nullable=False),
    sa.Column('revocation_note', sa.Text(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_signing_certificate_requested_by_id_user')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_signing_certificate_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signing_certificate_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_certificate')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('signing_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_certificate_serial_hex'), ['serial_hex'], unique=False)
        batch_op.create_index('ix_signing_certificate_user_status', ['user_id', 'status'], unique=False)

    op.create_table('signing_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pin_check', BLOB, nullable=True),
    sa.Column('key_sealed', BLOB, nullable=True),
    sa.Column('public_key_der', BLOB, nullable=True),
    sa.Column('pin_changed_at', sa.DateTime(), nullable=True),
    sa.Column('signature_image', BLOB, nullable=True),
    sa.Column('signature_image_type', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signing_profile_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_signing_profile_user_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )


def downgrade():
    op.drop_table('signing_profile')
    with op.batch_alter_table('signing_certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_signing_certificate_user_status')
        batch_op.drop_index(batch_op.f('ix_signing_certificate_serial_hex'))

    op.drop_table('signing_certificate')
    op.drop_table('signing_pin_lock')
    op.drop_table('signing_authority')
