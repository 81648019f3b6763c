"""index of materials by publication time and id (the catalogue's default order)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 21:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_published_at'))
        batch_op.create_index('ix_material_published_at_id', ['published_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index('ix_material_published_at_id')
        batch_op.create_index(batch_op.f('ix_material_published_at'), ['published_at'], unique=False)
