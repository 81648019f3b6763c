"""requirement_states: per requirement, how many people are in each state (the daily count)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 22:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('requirement_states',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('overdue', sa.Integer(), server_default='0', nullable=False),
    sa.Column('expired', sa.Integer(), server_default='0', nullable=False),
    sa.Column('due_soon', sa.Integer(), server_default='0', nullable=False),
    sa.Column('renewal_due', sa.Integer(), server_default='0', nullable=False),
    sa.Column('open', sa.Integer(), server_default='0', nullable=False),
    sa.Column('done', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_requirement_states_requirement_id_requirement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('requirement_id', name=op.f('pk_requirement_states'))
    )


def downgrade():
    op.drop_table('requirement_states')
