"""The session log on SQLite and PostgreSQL: migrations, sessions, turns and the report."""

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from actions import storage


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    return request.getfixturevalue(f"{request.param}_url")


def test_migration_creates_prefixed_tables_and_is_repeatable(db_url):
    storage.migrate(db_url)
    storage.migrate(db_url)
    tables = set(inspect(storage.create_db_engine(db_url)).get_table_names())
    assert {"em_trainees", "em_persona_versions", "em_sessions", "em_turns"} <= tables
    assert "events" not in tables  # Rasa's tracker store owns that name


def test_session_turns_and_report(db_url, personas):
    storage.migrate(db_url)
    engine = storage.create_db_engine(db_url)
    loaded = personas["bill-shock-aggressive"]
    with Session(engine, future=True) as db, db.begin():
        session = storage.start_session(
            db, sender_id="s-1", trainee_name="Ana", loaded=loaded, mode="practice",
            seed=5, started_at=100.0,
        )
        again = storage.start_session(
            db, sender_id="s-1", trainee_name="Ana", loaded=loaded, mode="practice",
            seed=5, started_at=101.0,
        )
        assert again.id == session.id
        storage.add_turns(db, session, [
            storage.TurnRecord("customer", "My bill doubled!", 101.5, mood=30, turn_ends_at=101.5),
            storage.TurnRecord("agent", "Sorry — <b>what</b> happened? 😊 ありがとう", 110.25,
                               acts=[{"act": "apologize", "confidence": 0.91}]),
        ])
        storage.add_turns(db, session, [storage.TurnRecord("agent", "x" * 5000, 120.0)])
        storage.end_session(db, session, "resolved", 130.0, 70)

    with Session(engine, future=True) as db:
        report = storage.session_report(storage.find_session(db, "s-1"))
        versions = db.execute(select(storage.PersonaVersion)).scalars().all()
    assert [v.content_hash for v in versions] == [loaded.content_hash]
    assert report["persona"]["id"] == "bill-shock-aggressive"
    assert (report["trainee"], report["mode"], report["outcome"]) == ("Ana", "practice", "resolved")
    assert report["started_at"].startswith("1970-01-01T00:01:40")
    assert [t["position"] for t in report["turns"]] == [0, 1, 2]
    assert report["turns"][1]["text"] == "Sorry — <b>what</b> happened? 😊 ありがとう"
    assert report["turns"][1]["acts"] == [{"act": "apologize", "confidence": 0.91}]
    assert len(report["turns"][2]["text"]) == 5000


def test_a_changed_persona_file_is_a_new_version(sqlite_url, personas):
    storage.migrate(sqlite_url)
    engine = storage.create_db_engine(sqlite_url)
    loaded = personas["bill-shock-aggressive"]
    edited = type(loaded)(loaded.persona, loaded.path, "f" * 64, loaded.content + "\n# edit")
    with Session(engine, future=True) as db, db.begin():
        first = storage.start_session(db, sender_id="a", trainee_name=None, loaded=loaded,
                                      mode="practice", seed=1, started_at=1.0)
        second = storage.start_session(db, sender_id="b", trainee_name=None, loaded=edited,
                                       mode="assessment", seed=1, started_at=2.0)
        assert first.persona_version_id != second.persona_version_id
        assert first.trainee is None
