"""distribution lists

Revision ID: 0004
Revises: 0003


"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('distribution_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_distribution_list_created_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_distribution_list_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distribution_list')),
    sa.UniqueConstraint('unit_id', 'name', name=op.f('uq_distribution_list_unit_id_name')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    op.create_table('distribution_list_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['distribution_list.id'], name=op.f('fk_distribution_list_member_list_id_distribution_list')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_distribution_list_member_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distribution_list_member')),
    sa.UniqueConstraint('list_id', 'unit_id', name=op.f('uq_distribution_list_member_list_id_unit_id')),
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_general_ci',
    mysql_engine='InnoDB'
    )
    


def downgrade():
    
    op.drop_table('distribution_list_member')
    op.drop_table('distribution_list')
    
