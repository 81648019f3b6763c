"""feedback

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('material_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('material_version_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply', sa.Text(), server_default='', nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_material_feedback_rating_range')),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_material_feedback_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['material_version_id'], ['material_version.id'], name=op.f('fk_material_feedback_material_version_id_material_version'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_material_feedback_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_feedback')),
    sa.UniqueConstraint('person_id', 'material_version_id', name='uq_material_feedback_person_version')
    )
    with op.batch_alter_table('material_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_feedback_material_id'), ['material_id'], unique=False)
        # One rating per person and material where the material has no versions (NULLs never collide above).
        batch_op.create_index('uq_material_feedback_person_unversioned', ['person_id', 'material_id'], unique=True, sqlite_where=sa.text('material_version_id IS NULL'), postgresql_where=sa.text('material_version_id IS NULL'))


def downgrade():
    with op.batch_alter_table('material_feedback', schema=None) as batch_op:
        batch_op.drop_index('uq_material_feedback_person_unversioned', sqlite_where=sa.text('material_version_id IS NULL'), postgresql_where=sa.text('material_version_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_material_feedback_material_id'))

    op.drop_table('material_feedback')
