"""letters written in the system (E-Form, issue 15): letters, revisions, signatures, templates, letterhead; frozen attachments

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 16:42:34.163496

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('fields_json', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_letter_template_created_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_letter_template_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('letter_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_template_unit_id'), ['unit_id'], unique=False)

    op.create_table('letterhead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('fax', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('font_family', sa.String(length=100), nullable=False),
    sa.Column('thai_digits', sa.Boolean(), nullable=False),
    sa.Column('buddhist_era', sa.Boolean(), nullable=False),
    sa.Column('garuda_sha256', sa.String(length=64), nullable=True),
    sa.Column('garuda_content_type', sa.String(length=64), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_letterhead_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letterhead')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('verify_code', sa.String(length=16), nullable=True),
    sa.Column('signed_attachment_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_letter_created_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_letter_document_id_document')),
    sa.ForeignKeyConstraint(['signed_attachment_id'], ['attachment.id'], name=op.f('fk_letter_signed_attachment_id_attachment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('document_id', name=op.f('uq_letter_document_id')),
    sa.UniqueConstraint('verify_code', name=op.f('uq_letter_verify_code')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('letter_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('circular', sa.Boolean(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('fields_json', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_letter_revision_author_id_user')),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_revision_letter_id_letter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_revision')),
    sa.UniqueConstraint('letter_id', 'number', name=op.f('uq_letter_revision_letter_id_number')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('letter_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('field_name', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_id'], ['user.id'], name=op.f('fk_letter_signature_acting_for_id_user')),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_signature_letter_id_letter')),
    sa.ForeignKeyConstraint(['revision_id'], ['letter_revision.id'], name=op.f('fk_letter_signature_revision_id_letter_revision')),
    sa.ForeignKeyConstraint(['signer_id'], ['user.id'], name=op.f('fk_letter_signature_signer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_signature')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('letter_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_signature_letter_id'), ['letter_id'], unique=False)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frozen_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('frozen_at')

    with op.batch_alter_table('letter_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_signature_letter_id'))

    op.drop_table('letter_signature')
    op.drop_table('letter_revision')
    op.drop_table('letter')
    op.drop_table('letterhead')
    with op.batch_alter_table('letter_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_template_unit_id'))

    op.drop_table('letter_template')
