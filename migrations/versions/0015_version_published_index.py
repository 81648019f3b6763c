"""index of material versions by publication time (Mein Kompass reads the versions of the last days)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 17:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('material_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_version_published_at'), ['published_at'], unique=False)


def downgrade():
    with op.batch_alter_table('material_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_version_published_at'))
