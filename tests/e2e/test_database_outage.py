"""End to end on PostgreSQL: the database refuses connections in the middle of a conversation.

The trainee hears that the message was not saved (Rasa no longer carries on with an empty
conversation in memory), no server stops, and once the database is back the conversation carries
on where it was: nothing lost but the refused message, nothing logged twice.
"""

import time

import pytest
import requests
import sqlalchemy
from sqlalchemy.engine import make_url

from channels.silence import DATABASE_UNAVAILABLE


@pytest.fixture(scope="module")
def database_url(new_postgres_database):
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def servers(database_url, start_servers, tmp_path_factory):
    with start_servers(
        database_url, tmp_path_factory.mktemp("logs"), web=False, typing_scale=0.0
    ) as services:
        yield services


def allow_connections(url: str, allowed: bool) -> None:
    """As when the database server goes away: new connections refused, open ones cut."""
    target = make_url(url)
    admin = sqlalchemy.create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True
    )
    with admin.connect() as connection:
        connection.execute(
            sqlalchemy.text(f'ALTER DATABASE "{target.database}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        )
        if not allowed:
            connection.execute(
                sqlalchemy.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": target.database},
            )
    admin.dispose()


def test_a_database_outage_is_told_and_loses_nothing_else(servers, database_url, new_trainee, session_report):
    trainee = new_trainee(servers, "bill-shock-aggressive")
    newcomer = new_trainee(servers, "lost-parcel-expressive")
    opening, _ = trainee.send("/start_session")
    before = "I'm so sorry about that. What happened with your bill?"
    trainee.send(before)
    allow_connections(database_url, False)
    try:
        texts, info = trainee.send("So your bill jumped from £32 to £58 with no warning at all.")
        assert texts == [DATABASE_UNAVAILABLE] and info["notices"] == [DATABASE_UNAVAILABLE]
        assert "not saved" in texts[0]
        assert newcomer.send("/start_session")[0] == [DATABASE_UNAVAILABLE]
        time.sleep(1)
        assert all(process.poll() is None for process in servers.processes.values())
        assert requests.get(f"{servers.rasa_url}/webhooks/rest/", timeout=5).ok
    finally:
        allow_connections(database_url, True)
    after = "Tell me more about what else has changed on your bill"
    texts, info = trainee.send(after)
    assert info["messages"] and not any(t.startswith("[Extra Mile]") for t in texts)
    assert newcomer.send("/start_session")[1]["messages"]

    report = session_report(database_url, trainee.sender)
    assert [m["text"] for m in report["messages"] if m["speaker"] == "agent"] == [before, after]
    speakers = [m["speaker"] for m in report["messages"]]
    turns = [speaker for i, speaker in enumerate(speakers) if i == 0 or speaker != speakers[i - 1]]
    assert turns == ["customer", "agent", "customer", "agent", "customer"]  # each answered once
    customer = [m["text"] for m in report["messages"] if m["speaker"] == "customer"]
    assert customer[: len(opening)] == opening and customer.count(opening[0]) == 1
