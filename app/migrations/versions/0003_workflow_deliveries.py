"""workflow and deliveries

Revision ID: 0003
Revises: 0002


"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('workflow_definition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('process_id', sa.String(length=128), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('bpmn_xml', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_definition')),
    sa.UniqueConstraint('key', 'sha256', name=op.f('uq_workflow_definition_key_sha256')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('workflow_instance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('next_timer_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['definition_id'], ['workflow_definition.id'], name=op.f('fk_workflow_instance_definition_id_workflow_definition')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_workflow_instance_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_instance')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('workflow_instance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_instance_next_timer_at'), ['next_timer_at'], unique=False)
        batch_op.create_index('ix_workflow_instance_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('workflow_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_guid', sa.String(length=36), nullable=False),
    sa.Column('spec_name', sa.String(length=128), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lane', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('speed', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_workflow_task_assignee_id_user')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user.id'], name=op.f('fk_workflow_task_completed_by_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_workflow_task_document_id_document')),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instance.id'], name=op.f('fk_workflow_task_instance_id_workflow_instance')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_workflow_task_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_task')),
    sa.UniqueConstraint('instance_id', 'task_guid', name=op.f('uq_workflow_task_instance_id_task_guid')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('workflow_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_task_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_workflow_task_open_assignee', ['state', 'assignee_id'], unique=False)
        batch_op.create_index('ix_workflow_task_open_unit_role', ['state', 'unit_id', 'lane'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('register_entry_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('return_note', sa.Text(), nullable=False),
    sa.Column('recalled_at', sa.DateTime(), nullable=True),
    sa.Column('recalled_by_id', sa.Integer(), nullable=True),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_delivery_document_id_document')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['unit.id'], name=op.f('fk_delivery_from_unit_id_unit')),
    sa.ForeignKeyConstraint(['parent_id'], ['delivery.id'], name=op.f('fk_delivery_parent_id_delivery')),
    sa.ForeignKeyConstraint(['read_by_id'], ['user.id'], name=op.f('fk_delivery_read_by_id_user')),
    sa.ForeignKeyConstraint(['recalled_by_id'], ['user.id'], name=op.f('fk_delivery_recalled_by_id_user')),
    sa.ForeignKeyConstraint(['register_entry_id'], ['register_entry.id'], name=op.f('fk_delivery_register_entry_id_register_entry')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_delivery_registered_by_id_user')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_delivery_returned_by_id_user')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], name=op.f('fk_delivery_sent_by_id_user')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], name=op.f('fk_delivery_to_unit_id_unit')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instance.id'], name=op.f('fk_delivery_workflow_instance_id_workflow_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_delivery_from_unit_sent', ['from_unit_id', 'sent_at'], unique=False)
        batch_op.create_index('ix_delivery_to_unit_status', ['to_unit_id', 'status'], unique=False)

    


def downgrade():
    
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_to_unit_status')
        batch_op.drop_index('ix_delivery_from_unit_sent')
        batch_op.drop_index(batch_op.f('ix_delivery_document_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('workflow_task', schema=None) as batch_op:
        batch_op.drop_index('ix_workflow_task_open_unit_role')
        batch_op.drop_index('ix_workflow_task_open_assignee')
        batch_op.drop_index(batch_op.f('ix_workflow_task_document_id'))

    op.drop_table('workflow_task')
    with op.batch_alter_table('workflow_instance', schema=None) as batch_op:
        batch_op.drop_index('ix_workflow_instance_subject')
        batch_op.drop_index(batch_op.f('ix_workflow_instance_next_timer_at'))

    op.drop_table('workflow_instance')
    op.drop_table('workflow_definition')
    
