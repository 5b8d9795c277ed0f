"""Accounts: users (trainees, trainers, admins) with argon2 password hashes, and their logins.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('em_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('locked_until', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('em_logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['em_users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('em_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_em_logins_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('em_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_em_logins_user_id'))
    op.drop_table('em_logins')
    op.drop_table('em_users')
