"""signing: the organisation's time-stamping authority (issue 15 item 4), so every signature carries an
RFC 3161 time-stamp (PAdES B-T, and with the DSS B-LT)

Revision ID: 0020
Revises: 0019

The CA row gains the TSA's certificate and its key, sealed under the CA's passphrase; both are made on
the first signature after the upgrade.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

BLOB = sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), 'mariadb').with_variant(mysql.MEDIUMBLOB(), 'mysql')


def upgrade():
    with op.batch_alter_table('signing_authority') as batch:
        batch.add_column(sa.Column('tsa_certificate_der', BLOB, nullable=True))
        batch.add_column(sa.Column('tsa_key_sealed', BLOB, nullable=True))


def downgrade():
    with op.batch_alter_table('signing_authority') as batch:
        batch.drop_column('tsa_key_sealed')
        batch.drop_column('tsa_certificate_der')
