"""news

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('publish_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pinned', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('all_departments', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_news_item_author_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_item'))
    )
    with op.batch_alter_table('news_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_item_publish_at'), ['publish_at'], unique=False)

    op.create_table('news_department',
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_news_department_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['news_id'], ['news_item.id'], name=op.f('fk_news_department_news_id_news_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('news_id', 'department_id', name=op.f('pk_news_department'))
    )
    with op.batch_alter_table('news_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_department_department_id'), ['department_id'], unique=False)

    op.create_table('news_material',
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_news_material_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['news_id'], ['news_item.id'], name=op.f('fk_news_material_news_id_news_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('news_id', 'material_id', name=op.f('pk_news_material'))
    )
    with op.batch_alter_table('news_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_material_material_id'), ['material_id'], unique=False)

    op.create_table('news_read',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('news_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['news_id'], ['news_item.id'], name=op.f('fk_news_read_news_id_news_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_news_read_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_read')),
    sa.UniqueConstraint('person_id', 'news_id', name='uq_news_read_person_news')
    )
    with op.batch_alter_table('news_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_read_news_id'), ['news_id'], unique=False)


def downgrade():
    with op.batch_alter_table('news_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_read_news_id'))

    op.drop_table('news_read')
    with op.batch_alter_table('news_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_material_material_id'))

    op.drop_table('news_material')
    with op.batch_alter_table('news_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_department_department_id'))

    op.drop_table('news_department')
    with op.batch_alter_table('news_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_item_publish_at'))

    op.drop_table('news_item')
