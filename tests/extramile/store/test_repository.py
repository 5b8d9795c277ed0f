"""The session log on SQLite and PostgreSQL: migrations, sessions, turns, messages and reports."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from extramile import store
from extramile.store.migrate import downgrade, migrate
from extramile.store.reports import chat_history, session_report, session_summaries

TABLES = {"em_trainees", "em_persona_versions", "em_sessions", "em_turns", "em_messages", "em_scorecards"}


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    return request.getfixturevalue(f"{request.param}_url")


def test_migration_creates_prefixed_tables_and_is_repeatable(db_url):
    migrate(db_url)
    engine = store.create_db_engine(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert "events" not in inspect(engine).get_table_names()  # Rasa's tracker store owns that name


def test_the_migrated_schema_matches_the_models(db_url):
    engine = store.create_db_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            d
            for d in compare_metadata(context, store.Base.metadata)
            if not (isinstance(d, tuple) and d[0] == "remove_table")
        ]
    assert differences == []


def log_session(db, loaded, sender="s-1", trainee="Ana"):
    session = store.start_session(
        db, sender_id=sender, trainee_name=trainee, loaded=loaded, mode="practice", seed=5, started_at=100.0
    )
    store.add_turns(
        db,
        session,
        [
            store.NewTurn(
                "customer",
                [store.NewMessage("My bill doubled!", 101.5), store.NewMessage("Sort it out.", 102.5)],
                mood=30,
            ),
            store.NewTurn(
                "agent",
                [
                    store.NewMessage(
                        "Sorry — <b>what</b> happened? 😊 ありがとう",
                        110.25,
                        acts=({"act": "apologize", "confidence": 0.91},),
                        nlu_model="m1",
                    )
                ],
            ),
            store.NewTurn(
                "customer",
                [store.NewMessage("It went from 32 to 58.", 115.0, fact="amount")],
                mood=34,
                mood_delta=4,
                mood_reasons=("apologize (+4)",),
            ),
        ],
    )
    store.add_turns(db, session, [store.NewTurn("agent", [store.NewMessage("x" * 5000, 120.0)])])
    store.add_turns(db, session, [store.NewTurn("agent", [store.NewMessage("and another", 121.0)])])
    return session


def test_session_turns_messages_and_report(db_url, personas):
    engine = store.create_db_engine(db_url)
    loaded = personas["bill-shock-aggressive"]
    with Session(engine, future=True) as db, db.begin():
        session = log_session(db, loaded)
        again = store.start_session(
            db, sender_id="s-1", trainee_name="Ana", loaded=loaded, mode="practice", seed=5, started_at=101.0
        )
        assert again.id == session.id
        store.end_session(db, session, "resolved", 130.0, 70)

    with Session(engine, future=True) as db:
        session = store.find_session(db, "s-1")
        report = session_report(session)
        transcript = store.load_transcript(session, loaded.persona)
        versions = db.execute(select(store.PersonaVersion)).scalars().all()
        assert store.nlu_models(session) == ["m1"]
    assert [v.content_hash for v in versions] == [loaded.content_hash]
    assert report["persona"]["id"] == "bill-shock-aggressive"
    assert (report["trainee"], report["mode"], report["outcome"]) == ("Ana", "practice", "resolved")
    assert report["started_at"].startswith("1970-01-01T00:01:40")
    assert [m["position"] for m in report["messages"]] == [0, 1, 2, 3, 4, 5]
    assert [m["turn"] for m in report["messages"]] == [0, 0, 1, 2, 3, 3]  # agent messages in a row
    assert report["messages"][2]["text"] == "Sorry — <b>what</b> happened? 😊 ありがとう"
    assert report["messages"][2]["acts"] == [{"act": "apologize", "confidence": 0.91}]
    assert len(report["messages"][4]["text"]) == 5000
    assert report["turns"][2]["mood_reasons"] == ["apologize (+4)"]
    assert report["turns"][0]["ends_at"].startswith("1970-01-01T00:01:42.5")
    # The scorer's view ends at the customer's last word.
    assert [m.position for m in transcript.messages] == [0, 1, 2, 3]
    assert transcript.turn(0).ends_at == 102.5 and transcript.messages[3].fact == "amount"


def test_summaries_and_chat_history(db_url, personas):
    engine = store.create_db_engine(db_url)
    loaded = personas["bill-shock-aggressive"]
    with Session(engine, future=True) as db, db.begin():
        log_session(db, loaded, "a", "Ana")
        log_session(db, loaded, "b", "Bo")
        log_session(db, loaded, "c", None)
    with Session(engine, future=True) as db:
        summaries = session_summaries(db, None, 10)
        only_bo = session_summaries(db, "Bo", 10)
        history = chat_history(store.find_session(db, "a"))
    assert [s["sender_id"] for s in summaries] == ["c", "b", "a"]
    assert [s["sender_id"] for s in only_bo] == ["b"] and only_bo[0]["trainee"] == "Bo"
    assert summaries[0]["overall"] is None and summaries[0]["persona"]["id"] == "bill-shock-aggressive"
    assert history.messages[0] == {"speaker": "customer", "text": "My bill doubled!", "at": 101.5}
    assert history.mood == 34 and history.outcome is None


def test_a_changed_persona_file_is_a_new_version(sqlite_url, personas):
    engine = store.create_db_engine(sqlite_url)
    loaded = personas["bill-shock-aggressive"]
    edited = type(loaded)(loaded.persona, loaded.path, "f" * 64, loaded.content + "\n# edit")
    with Session(engine, future=True) as db, db.begin():
        first = store.start_session(
            db, sender_id="a", trainee_name=None, loaded=loaded, mode="practice", seed=1, started_at=1.0
        )
        second = store.start_session(
            db, sender_id="b", trainee_name=None, loaded=edited, mode="assessment", seed=1, started_at=2.0
        )
        assert first.persona_version_id != second.persona_version_id
        assert first.trainee is None


def test_messages_logged_before_turns_existed_are_grouped_into_turns(db_url, personas):
    """Migration 0002 on a log written by 0001: the old one-row-per-message table becomes
    em_messages, and consecutive rows of a speaker (customer rows sharing a turn end) a turn."""
    downgrade(db_url, "0001")
    engine = store.create_db_engine(db_url)
    rows = [  # position, speaker, text, timestamp, mood, turn_ends_at
        (0, "customer", "My bill doubled!", 1.0, 30, 2.0),
        (1, "customer", "Sort it out.", 2.0, 30, 2.0),
        (2, "agent", "Sorry, what happened?", 5.0, None, None),
        (3, "customer", "It went up.", 8.0, 34, 9.0),
        (4, "customer", "By a lot.", 9.0, 34, 9.0),
        (5, "customer", "Hello?", 20.0, 30, 20.0),  # the customer's next turn (a nudge)
        (6, "agent", "Sorry!", 21.0, None, None),
        (7, "agent", "Still there?", 22.0, None, None),
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO em_persona_versions (id, persona_id, content_hash, name, temperament, "
                "difficulty, title, content, first_played_at) VALUES (1, 'p', 'h', 'P', 'passive', "
                "'easy', 't', 'c', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO em_sessions (id, sender_id, persona_version_id, mode, seed, started_at) "
                "VALUES (1, 'old', 1, 'practice', 1, 0)"
            )
        )
        for position, speaker, said, at, mood, ends in rows:
            connection.execute(
                text(
                    "INSERT INTO em_turns (session_id, position, speaker, text, timestamp, mood, "
                    "turn_ends_at) VALUES (1, :p, :s, :t, :at, :m, :e)"
                ),
                {"p": position, "s": speaker, "t": said, "at": at, "m": mood, "e": ends},
            )
    migrate(db_url)
    with Session(engine, future=True) as db:
        report = session_report(store.find_session(db, "old"))
    assert [m["turn"] for m in report["messages"]] == [0, 0, 1, 2, 2, 3, 4, 4]
    assert [(t["speaker"], t["mood"]) for t in report["turns"]] == [
        ("customer", 30),
        ("agent", None),
        ("customer", 34),
        ("customer", 30),
        ("agent", None),
    ]
    assert report["turns"][2]["ends_at"].endswith("00:00:09.000+00:00")


def test_migration_0003_adds_message_keys_and_the_stored_state_to_an_existing_log(db_url, personas):
    """Migration 0003 on a log written by 0002: existing messages have no key and were not missed,
    existing sessions no stored state; then a message key is unique within a session only."""
    downgrade(db_url, "0002")
    engine = store.create_db_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO em_persona_versions (id, persona_id, content_hash, name, temperament, "
                "difficulty, title, content, first_played_at) VALUES (1, 'p', 'h', 'P', 'passive', "
                "'easy', 't', 'c', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO em_sessions (id, sender_id, persona_version_id, mode, seed, started_at) "
                "VALUES (1, 'old', 1, 'practice', 1, 0), (2, 'other', 1, 'practice', 1, 0)"
            )
        )
        connection.execute(
            text(
                'INSERT INTO em_turns (session_id, "index", speaker, ends_at, interrupted) '
                "VALUES (1, 0, 'agent', 5.0, false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO em_messages (session_id, position, turn_index, speaker, text, at) "
                "VALUES (1, 0, 0, 'agent', 'Hello', 5.0)"
            )
        )
    migrate(db_url)
    with Session(engine, future=True) as db, db.begin():
        old, other = store.find_session(db, "old"), store.find_session(db, "other")
        assert (old.customer_state, old.start_key) == (None, None)
        [message] = old.messages
        assert (message.message_key, message.delivered_late) == (None, False)
        late = store.NewMessage("Still there?", 6.0, key="k-1", delivered_late=True)
        store.add_turns(db, old, [store.NewTurn("agent", [late, store.NewMessage("Hello?", 7.0)])])
        store.add_turns(db, other, [store.NewTurn("agent", [store.NewMessage("Hi", 1.0, key="k-1")])])
        store.save_customer_state(db, old, {"mood": 40})
        assert store.logged_keys(db, old, ["k-1", "k-2", None]) == {"k-1"}
    with pytest.raises(IntegrityError), Session(engine, future=True) as db, db.begin():
        again = store.NewTurn("agent", [store.NewMessage("Still there?", 8.0, key="k-1")])
        store.add_turns(db, store.find_session(db, "old"), [again])
    with Session(engine, future=True) as db:
        report = session_report(store.find_session(db, "old"))
        assert store.find_session(db, "old").customer_state == {"mood": 40}
    assert [m["delivered_late"] for m in report["messages"]] == [False, True, False]
    downgrade(db_url, "0002")  # and back again
    assert "message_key" not in {c["name"] for c in inspect(engine).get_columns("em_messages")}
    migrate(db_url)
