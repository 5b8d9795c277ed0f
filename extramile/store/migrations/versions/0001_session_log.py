"""The session log: trainees, persona versions, sessions, turns and scorecards.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 12:58:01.436174
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('em_persona_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('persona_id', sa.String(length=100), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('temperament', sa.String(length=20), nullable=False),
    sa.Column('difficulty', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('first_played_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('persona_id', 'content_hash')
    )
    with op.batch_alter_table('em_persona_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_em_persona_versions_persona_id'), ['persona_id'], unique=False)

    op.create_table('em_trainees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('em_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=True),
    sa.Column('persona_version_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('started_at', sa.Float(), nullable=False),
    sa.Column('ended_at', sa.Float(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('final_mood', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['persona_version_id'], ['em_persona_versions.id'], ),
    sa.ForeignKeyConstraint(['trainee_id'], ['em_trainees.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sender_id')
    )
    op.create_table('em_scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('rubric_hash', sa.String(length=64), nullable=False),
    sa.Column('scorecard', sa.JSON(), nullable=False),
    sa.Column('scored_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['em_sessions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id')
    )
    op.create_table('em_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('acts', sa.JSON(), nullable=True),
    sa.Column('mood', sa.Integer(), nullable=True),
    sa.Column('turn_ends_at', sa.Float(), nullable=True),
    sa.Column('fact', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['em_sessions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'position')
    )
    with op.batch_alter_table('em_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_em_turns_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('em_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_em_turns_session_id'))

    op.drop_table('em_turns')
    op.drop_table('em_scorecards')
    op.drop_table('em_sessions')
    op.drop_table('em_trainees')
    with op.batch_alter_table('em_persona_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_em_persona_versions_persona_id'))

    op.drop_table('em_persona_versions')
