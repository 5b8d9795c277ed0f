"""Messages and turns: one row per message (em_messages), one per speaker's turn (em_turns);
a scorecard's overall score may be empty (too little to judge).

The old em_turns held one row per message and repeated its turn's end time on each, so turns were
found by matching float times. Now each message names its turn, and a customer turn keeps the
mood it left the customer in, the change and the reasons. Existing rows are grouped into turns the
way they were logged: a new turn whenever the speaker changes or a customer message belongs to a
turn that ends at another time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

old_messages = sa.table(
    'em_messages', sa.column('id', sa.Integer), sa.column('session_id', sa.Integer),
    sa.column('position', sa.Integer), sa.column('speaker', sa.String), sa.column('at', sa.Float),
    sa.column('mood', sa.Integer), sa.column('turn_ends_at', sa.Float),
    sa.column('turn_index', sa.Integer),
)
turns = sa.table(
    'em_turns', sa.column('session_id', sa.Integer), sa.column('index', sa.Integer),
    sa.column('speaker', sa.String), sa.column('ends_at', sa.Float), sa.column('mood', sa.Integer),
    sa.column('interrupted', sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table('em_turns', schema=None) as batch_op:
        batch_op.drop_index('ix_em_turns_session_id')
    op.rename_table('em_turns', 'em_messages')
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.alter_column('timestamp', new_column_name='at', existing_type=sa.Float(),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('turn_index', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('nlu_model', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_em_messages_session_id', ['session_id'], unique=False)
    op.create_table(
        'em_turns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('index', sa.Integer(), nullable=False),
        sa.Column('speaker', sa.String(length=16), nullable=False),
        sa.Column('ends_at', sa.Float(), nullable=False),
        sa.Column('mood', sa.Integer(), nullable=True),
        sa.Column('mood_delta', sa.Integer(), nullable=True),
        sa.Column('mood_reasons', sa.JSON(), nullable=True),
        sa.Column('interrupted', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['em_sessions.id'], name='em_turns_session_fk'),
        sa.PrimaryKeyConstraint('id', name='em_turns_group_pk'),
        sa.UniqueConstraint('session_id', 'index', name='em_turns_session_index_key'),
    )
    op.create_index('ix_em_turns_session_id', 'em_turns', ['session_id'], unique=False)
    _group_messages_into_turns()
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.alter_column('turn_index', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('mood')
        batch_op.drop_column('turn_ends_at')
    with op.batch_alter_table('em_scorecards', schema=None) as batch_op:
        batch_op.alter_column('overall', existing_type=sa.Float(), nullable=True)


def _group_messages_into_turns() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(old_messages.c.id, old_messages.c.session_id, old_messages.c.speaker,
                  old_messages.c.at, old_messages.c.mood, old_messages.c.turn_ends_at)
        .order_by(old_messages.c.session_id, old_messages.c.position)
    ).all()
    current: dict | None = None
    for row in rows:
        same_turn = (
            current is not None and current['session_id'] == row.session_id
            and current['speaker'] == row.speaker
            and (row.speaker == 'agent' or current['turn_ends_at'] == row.turn_ends_at)
        )
        if not same_turn:
            if current is not None:
                _insert_turn(connection, current)
            index = current['index'] + 1 if current and current['session_id'] == row.session_id else 0
            current = {'session_id': row.session_id, 'index': index, 'speaker': row.speaker,
                       'turn_ends_at': row.turn_ends_at, 'ends_at': row.at, 'mood': row.mood}
        current['ends_at'] = max(current['ends_at'], row.turn_ends_at or row.at)
        connection.execute(old_messages.update().where(old_messages.c.id == row.id)
                           .values(turn_index=current['index']))
    if current is not None:
        _insert_turn(connection, current)


def _insert_turn(connection, turn: dict) -> None:
    connection.execute(turns.insert().values(
        session_id=turn['session_id'], index=turn['index'], speaker=turn['speaker'],
        ends_at=turn['ends_at'], mood=turn['mood'] if turn['speaker'] == 'customer' else None,
        interrupted=False,
    ))


def downgrade() -> None:
    op.execute('UPDATE em_scorecards SET overall = 0 WHERE overall IS NULL')
    with op.batch_alter_table('em_scorecards', schema=None) as batch_op:
        batch_op.alter_column('overall', existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mood', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('turn_ends_at', sa.Float(), nullable=True))
    connection = op.get_bind()
    for turn in connection.execute(sa.text(
            'SELECT session_id, "index", speaker, ends_at, mood FROM em_turns')).all():
        if turn.speaker == 'customer':
            connection.execute(sa.text(
                'UPDATE em_messages SET mood = :mood, turn_ends_at = :ends_at '
                'WHERE session_id = :session_id AND turn_index = :index'),
                {'mood': turn.mood, 'ends_at': turn.ends_at, 'session_id': turn.session_id,
                 'index': turn.index})
    op.drop_index('ix_em_turns_session_id', table_name='em_turns')
    op.drop_table('em_turns')
    with op.batch_alter_table('em_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_em_messages_session_id')
        batch_op.drop_column('nlu_model')
        batch_op.drop_column('turn_index')
        batch_op.alter_column('at', new_column_name='timestamp', existing_type=sa.Float(),
                              existing_nullable=False)
    op.rename_table('em_messages', 'em_turns')
    with op.batch_alter_table('em_turns', schema=None) as batch_op:
        batch_op.create_index('ix_em_turns_session_id', ['session_id'], unique=False)
