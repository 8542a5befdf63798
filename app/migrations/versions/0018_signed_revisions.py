"""signed revisions (issue 15 item 3): each signed revision of a letter has its own verify code and PDF

A signed letter is corrected by a new revision signed again, so the code and the file move from the letter
to the revision.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('letter_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('signed_attachment_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_letter_revision_verify_code'), ['verify_code'])
        batch_op.create_foreign_key(batch_op.f('fk_letter_revision_signed_attachment_id_attachment'),
                                    'attachment', ['signed_attachment_id'], ['id'])
    # Until now only one revision of a letter could be signed: it takes the letter's code and file.
    op.execute(sa.text(
        "UPDATE letter_revision SET "
        "verify_code = (SELECT letter.verify_code FROM letter WHERE letter.id = letter_revision.letter_id), "
        "signed_attachment_id = (SELECT letter.signed_attachment_id FROM letter "
        "WHERE letter.id = letter_revision.letter_id) "
        "WHERE signed_at IS NOT NULL"))
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letter_signed_attachment_id_attachment'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_letter_verify_code'), type_='unique')
        batch_op.drop_column('signed_at')
        batch_op.drop_column('signed_attachment_id')
        batch_op.drop_column('verify_code')


def downgrade():
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('signed_attachment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signed_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_letter_verify_code'), ['verify_code'])
        batch_op.create_foreign_key(batch_op.f('fk_letter_signed_attachment_id_attachment'),
                                    'attachment', ['signed_attachment_id'], ['id'])
    # The letter keeps its first signed revision: the one a letter could have before corrections.
    first_signed = ("SELECT {column} FROM letter_revision WHERE letter_revision.letter_id = letter.id "
                    "AND letter_revision.signed_at IS NOT NULL ORDER BY letter_revision.number LIMIT 1")
    op.execute(sa.text("UPDATE letter SET " + ", ".join(
        f"{column} = ({first_signed.format(column=column)})"
        for column in ("verify_code", "signed_attachment_id", "signed_at"))))
    with op.batch_alter_table('letter_revision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letter_revision_signed_attachment_id_attachment'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_letter_revision_verify_code'), type_='unique')
        batch_op.drop_column('signed_attachment_id')
        batch_op.drop_column('verify_code')
