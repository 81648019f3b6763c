"""surveys

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='draft', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("opens_on IS NULL OR opens_on <= closes_on", name=op.f('ck_survey_dates_ordered')),
    sa.CheckConstraint("state IN ('draft', 'open', 'closed')", name=op.f('ck_survey_state_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_survey_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_survey_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_department_id'), ['department_id'], unique=False)

    op.create_table('survey_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('tool_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=250), nullable=False),
    sa.CheckConstraint("topic_id IS NULL OR tool_id IS NULL", name=op.f('ck_survey_item_one_subject')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_item_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], name=op.f('fk_survey_item_tool_id_tool'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_survey_item_topic_id_topic'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_item')),
    sa.UniqueConstraint('survey_id', 'position', name='uq_survey_item_survey_position')
    )
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_item_tool_id'), ['tool_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_item_topic_id'), ['topic_id'], unique=False)

    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN (0, 1, 2)", name=op.f('ck_survey_answer_level_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_survey_answer_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_item_id'], ['survey_item.id'], name=op.f('fk_survey_answer_survey_item_id_survey_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer')),
    sa.UniqueConstraint('survey_item_id', 'person_id', name='uq_survey_answer_item_person')
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_person_id'))

    op.drop_table('survey_answer')
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_item_topic_id'))
        batch_op.drop_index(batch_op.f('ix_survey_item_tool_id'))

    op.drop_table('survey_item')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_department_id'))

    op.drop_table('survey')
