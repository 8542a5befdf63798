"""documents, registers, attachments, audit chain

Revision ID: 0002
Revises: 0001


"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('name_th', name=op.f('uq_category_name_th')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('delivery_method',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_method')),
    sa.UniqueConstraint('code', name=op.f('uq_delivery_method_code')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('document_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('group', sa.String(length=24), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_type')),
    sa.UniqueConstraint('code', name=op.f('uq_document_type_code')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('register',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('document_type_id', sa.Integer(), nullable=True),
    sa.Column('yearly_reset', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_type_id'], ['document_type.id'], name=op.f('fk_register_document_type_id_document_type')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_register_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_register_unit_id_code')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_unit_id'), ['unit_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('delivery_method_id', sa.Integer(), nullable=True),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('addressed_to', sa.String(length=500), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=True),
    sa.Column('from_text', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('enclosures', sa.Text(), nullable=False),
    sa.Column('secrecy', sa.String(length=16), nullable=False),
    sa.Column('speed', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('first_sent_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_document_category_id_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_document_created_by_id_user')),
    sa.ForeignKeyConstraint(['delivery_method_id'], ['delivery_method.id'], name=op.f('fk_document_delivery_method_id_delivery_method')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['unit.id'], name=op.f('fk_document_from_unit_id_unit')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], name=op.f('fk_document_owner_unit_id_unit')),
    sa.ForeignKeyConstraint(['type_id'], ['document_type.id'], name=op.f('fk_document_type_id_document_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_owner_created', ['owner_unit_id', 'created_at'], unique=False)

    op.create_table('register_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['register_id'], ['register.id'], name=op.f('fk_register_counter_register_id_register')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_counter')),
    sa.UniqueConstraint('register_id', 'year', name=op.f('uq_register_counter_register_id_year')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_attachment_deleted_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_attachment_document_id_document')),
    sa.ForeignKeyConstraint(['replaces_id'], ['attachment.id'], name=op.f('fk_attachment_replaces_id_attachment')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_attachment_unit_id_unit')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('document_operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_document_operator_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_operator_document_id_document')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_document_operator_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_operator')),
    sa.UniqueConstraint('document_id', 'user_id', name=op.f('uq_document_operator_document_id_user_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('document_operator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_operator_user_id'), ['user_id'], unique=False)

    op.create_table('document_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('name_text', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_recipient_document_id_document')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_document_recipient_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_recipient')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('document_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_recipient_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_recipient_unit_id'), ['unit_id'], unique=False)

    op.create_table('due_date_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('old_due_date', sa.Date(), nullable=True),
    sa.Column('new_due_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_id'], ['user.id'], name=op.f('fk_due_date_change_acting_for_id_user')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_due_date_change_changed_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_due_date_change_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_due_date_change')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('due_date_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_due_date_change_document_id'), ['document_id'], unique=False)

    op.create_table('register_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('action_taken', sa.Text(), nullable=False),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user.id'], name=op.f('fk_register_entry_cancelled_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_register_entry_created_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_register_entry_document_id_document')),
    sa.ForeignKeyConstraint(['register_id'], ['register.id'], name=op.f('fk_register_entry_register_id_register')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_entry')),
    sa.UniqueConstraint('register_id', 'year', 'number', name=op.f('uq_register_entry_register_id_year_number')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_entry_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_register_entry_register_document', ['register_id', 'document_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('acting_for_id', sa.Integer(), nullable=True),
    sa.Column('counterpart_unit_id', sa.Integer(), nullable=True),
    sa.Column('counterpart_text', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_id'], ['user.id'], name=op.f('fk_registration_acting_for_id_user')),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_registration_by_id_user')),
    sa.ForeignKeyConstraint(['counterpart_unit_id'], ['unit.id'], name=op.f('fk_registration_counterpart_unit_id_unit')),
    sa.ForeignKeyConstraint(['entry_id'], ['register_entry.id'], name=op.f('fk_registration_entry_id_register_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=False, server_default=''))
    _seed_reference_data()


# The regulation's kinds of letter (ระเบียบงานสารบรรณ) and the usual ways letters travel. Admins edit them later.
DOCUMENT_TYPES = [
    ("external", "external", "หนังสือภายนอก", "External letter"),
    ("internal", "internal", "หนังสือภายใน (บันทึกข้อความ)", "Internal memo"),
    ("stamped", "stamped", "หนังสือประทับตรา", "Stamped letter"),
    ("order", "directive", "คำสั่ง", "Order"),
    ("regulation", "directive", "ระเบียบ", "Regulation"),
    ("bylaw", "directive", "ข้อบังคับ", "By-law"),
    ("announcement", "public_relations", "ประกาศ", "Announcement"),
    ("statement", "public_relations", "แถลงการณ์", "Statement"),
    ("news", "public_relations", "ข่าว", "News"),
    ("certificate", "official_record", "หนังสือรับรอง", "Certificate"),
    ("minutes", "official_record", "รายงานการประชุม", "Minutes of meeting"),
    ("memo", "official_record", "บันทึก", "Note"),
    ("other_record", "official_record", "หนังสืออื่น", "Other record"),
    ("circular", "circular", "หนังสือเวียน", "Circular"),
]
DELIVERY_METHODS = [
    ("system", "ระบบสารบรรณอิเล็กทรอนิกส์", "e-Saraban"),
    ("post", "ไปรษณีย์", "Post"),
    ("registered_post", "ไปรษณีย์ลงทะเบียน", "Registered post"),
    ("ems", "EMS", "EMS"),
    ("fax", "โทรสาร", "Fax"),
    ("email", "อีเมล", "E-mail"),
    ("hand", "ส่งด้วยตนเอง", "By hand"),
    ("messenger", "พนักงานเดินหนังสือ", "Messenger"),
]


def _seed_reference_data():
    document_type = sa.table("document_type", sa.column("code"), sa.column("group"), sa.column("name_th"),
                             sa.column("name_en"), sa.column("sort_order"), sa.column("is_active"))
    op.bulk_insert(document_type, [
        {"code": code, "group": group, "name_th": th, "name_en": en, "sort_order": order, "is_active": True}
        for order, (code, group, th, en) in enumerate(DOCUMENT_TYPES)])
    delivery_method = sa.table("delivery_method", sa.column("code"), sa.column("name_th"), sa.column("name_en"),
                               sa.column("sort_order"), sa.column("is_active"))
    op.bulk_insert(delivery_method, [
        {"code": code, "name_th": th, "name_en": en, "sort_order": order, "is_active": True}
        for order, (code, th, en) in enumerate(DELIVERY_METHODS)])


def downgrade():
    
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_entry_id'))

    op.drop_table('registration')
    with op.batch_alter_table('register_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_register_entry_register_document')
        batch_op.drop_index(batch_op.f('ix_register_entry_document_id'))

    op.drop_table('register_entry')
    with op.batch_alter_table('due_date_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_due_date_change_document_id'))

    op.drop_table('due_date_change')
    with op.batch_alter_table('document_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_recipient_unit_id'))
        batch_op.drop_index(batch_op.f('ix_document_recipient_document_id'))

    op.drop_table('document_recipient')
    with op.batch_alter_table('document_operator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_operator_user_id'))

    op.drop_table('document_operator')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_document_id'))

    op.drop_table('attachment')
    op.drop_table('register_counter')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_owner_created')

    op.drop_table('document')
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_unit_id'))

    op.drop_table('register')
    op.drop_table('document_type')
    op.drop_table('delivery_method')
    op.drop_table('category')
    op.drop_table('audit_chain_head')
    
