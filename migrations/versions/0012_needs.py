"""needs

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('tool_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('urgency', sa.String(length=10), server_default='medium', nullable=False),
    sa.Column('state', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('reply', sa.Text(), server_default='', nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("urgency IN ('low', 'medium', 'high')", name=op.f('ck_need_urgency_known')),
    sa.CheckConstraint("state IN ('open', 'in_progress', 'met', 'declined')", name=op.f('ck_need_state_known')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['person.id'], name=op.f('fk_need_answered_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_need_department_id_department'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_need_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_need_team_id_team'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], name=op.f('fk_need_tool_id_tool'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_need_topic_id_topic'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_tool_id'), ['tool_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_topic_id'), ['topic_id'], unique=False)
        batch_op.create_index('ix_need_state_department', ['state', 'department_id'], unique=False)

    op.create_table('need_material',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_need_material_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_material_need_id_need'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'material_id', name=op.f('pk_need_material'))
    )
    with op.batch_alter_table('need_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_material_material_id'), ['material_id'], unique=False)


def downgrade():
    with op.batch_alter_table('need_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_material_material_id'))

    op.drop_table('need_material')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index('ix_need_state_department')
        batch_op.drop_index(batch_op.f('ix_need_topic_id'))
        batch_op.drop_index(batch_op.f('ix_need_tool_id'))
        batch_op.drop_index(batch_op.f('ix_need_team_id'))
        batch_op.drop_index(batch_op.f('ix_need_person_id'))
        batch_op.drop_index(batch_op.f('ix_need_created_at'))

    op.drop_table('need')
