"""statistics

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('material_usage',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('completions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('people', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_material_usage_material_id_material'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('material_id', name=op.f('pk_material_usage'))
    )
    op.create_table('organisation_fulfilment',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('applicable', sa.Integer(), nullable=False),
    sa.Column('fulfilled', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_organisation_fulfilment'))
    )
    op.create_table('team_fulfilment',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('applicable', sa.Integer(), nullable=False),
    sa.Column('fulfilled', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_fulfilment_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'day', name=op.f('pk_team_fulfilment'))
    )
    with op.batch_alter_table('team_fulfilment', schema=None) as batch_op:
        batch_op.create_index('uq_team_fulfilment_current', ['team_id'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))


def downgrade():
    with op.batch_alter_table('team_fulfilment', schema=None) as batch_op:
        batch_op.drop_index('uq_team_fulfilment_current', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.drop_table('team_fulfilment')
    op.drop_table('organisation_fulfilment')
    op.drop_table('material_usage')
