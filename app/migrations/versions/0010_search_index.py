"""search index: one row per (document, unit), the subjects' bigrams, and the outbox of changes

Revision ID: 0010
Revises: 0009
Every existing document is marked pending, so the first search (or the periodic job) indexes it; on a
large database run `flask search rebuild` instead.

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_gram',
    sa.Column('gram', sa.String(length=2).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=2), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=2), 'mysql'), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('gram', 'document_id', name=op.f('pk_search_gram')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('search_gram', schema=None) as batch_op:
        batch_op.create_index('ix_search_gram_document', ['document_id'], unique=False)

    op.create_table('search_pending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_pending')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('search_entry',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=True),
    sa.Column('register_direction', sa.String(length=16), nullable=True),
    sa.Column('reg_number', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('doc_number_key', sa.String(length=100).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=100), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=100), 'mysql'), nullable=False),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.Column('subject_key', sa.String(length=500).with_variant(mysql.VARCHAR(charset='tis620', collation='tis620_bin', length=500), 'mariadb').with_variant(mysql.VARCHAR(charset='tis620', collation='tis620_bin', length=500), 'mysql'), nullable=False),
    sa.Column('subject_sort', sa.String(length=100).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=100), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=100), 'mysql'), nullable=False),
    sa.Column('from_key', sa.String(length=300).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=300), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=300), 'mysql'), nullable=False),
    sa.Column('to_key', sa.String(length=1000).with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=1000), 'mariadb').with_variant(mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=1000), 'mysql'), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('secrecy', sa.String(length=16), nullable=False),
    sa.Column('speed', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_search_entry_document_id_document')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_search_entry_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'year', 'document_id', name=op.f('pk_search_entry')),
    sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_search_entry_document_id_unit_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_search_entry_dated', ['unit_id', 'dated'], unique=False)
        batch_op.create_index('ix_search_entry_doc_number', ['unit_id', 'year', 'doc_number_key'], unique=False)
        batch_op.create_index('ix_search_entry_received', ['unit_id', 'year', 'received_at'], unique=False)
        batch_op.create_index('ix_search_entry_register', ['unit_id', 'year', 'reg_number'], unique=False)
        batch_op.create_index('ix_search_entry_status', ['unit_id', 'status', 'due_date'], unique=False)
        batch_op.create_index('ix_search_entry_subject', ['unit_id', 'year', 'subject_sort'], unique=False)
        batch_op.create_index('ix_search_entry_year_register', ['year', 'reg_number'], unique=False)
        batch_op.create_index('ix_search_entry_subject_key', ['unit_id', 'year', 'subject_key'], unique=False)
        batch_op.create_index('ix_search_entry_year_received', ['year', 'received_at'], unique=False)

    op.execute("INSERT INTO search_pending (document_id, at) SELECT id, CURRENT_TIMESTAMP FROM document")



def downgrade():
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entry_subject')
        batch_op.drop_index('ix_search_entry_year_register')
        batch_op.drop_index('ix_search_entry_subject_key')
        batch_op.drop_index('ix_search_entry_year_received')
        batch_op.drop_index('ix_search_entry_status')
        batch_op.drop_index('ix_search_entry_register')
        batch_op.drop_index('ix_search_entry_received')
        batch_op.drop_index('ix_search_entry_doc_number')
        batch_op.drop_index('ix_search_entry_dated')

    op.drop_table('search_entry')
    op.drop_table('search_pending')
    with op.batch_alter_table('search_gram', schema=None) as batch_op:
        batch_op.drop_index('ix_search_gram_document')

    op.drop_table('search_gram')
