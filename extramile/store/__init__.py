"""The session log: SQL tables, the queries over them, migrations, and reports as plain data."""

from extramile.store.account_models import Login, User
from extramile.store.migrate import migrate
from extramile.store.models import (
    Base,
    MessageRow,
    PersonaVersion,
    ScorecardRow,
    Trainee,
    TrainingSession,
    TurnRow,
)
from extramile.store.repository import (
    NewMessage,
    NewTurn,
    add_turns,
    create_db_engine,
    end_session,
    find_session,
    load_transcript,
    logged_keys,
    nlu_models,
    reply_to,
    save_customer_state,
    save_scorecard,
    scored_sessions,
    start_session,
    stored_scorecard,
)

__all__ = [
    "Base",
    "Login",
    "User",
    "MessageRow",
    "NewMessage",
    "NewTurn",
    "PersonaVersion",
    "ScorecardRow",
    "Trainee",
    "TrainingSession",
    "TurnRow",
    "add_turns",
    "create_db_engine",
    "end_session",
    "find_session",
    "load_transcript",
    "logged_keys",
    "migrate",
    "nlu_models",
    "reply_to",
    "save_customer_state",
    "save_scorecard",
    "scored_sessions",
    "start_session",
    "stored_scorecard",
]
