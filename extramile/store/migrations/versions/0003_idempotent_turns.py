"""Idempotent turns: each trainee message's key on its row, the customer's state on the session,
and a mark on the messages the customer simulator missed.

- em_messages.message_key: the chat message's id (Rasa's `message_id`, which a client's retry
  repeats), unique per session where set, so a message delivered twice is logged once.
- em_messages.delivered_late: the message reached the chat server while the simulator was down;
  existing rows are false.
- em_sessions.customer_state: the customer's state after the latest turn, written with the turns,
  so the log, not Rasa's slot, says where the session stands; existing sessions have none.
- em_sessions.start_key: the key of the message that started the session.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_key', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('delivered_late', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_unique_constraint('em_messages_session_message_key_key',
                                          ['session_id', 'message_key'])
    with op.batch_alter_table('em_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_state', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('start_key', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('em_sessions', schema=None) as batch_op:
        batch_op.drop_column('start_key')
        batch_op.drop_column('customer_state')
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.drop_constraint('em_messages_session_message_key_key', type_='unique')
        batch_op.drop_column('delivered_late')
        batch_op.drop_column('message_key')
