"""End to end: a trained model in a real Rasa server, the real action server, PostgreSQL.

Plays whole conversations over REST the way a trainee would (waiting for the customer to finish
typing), then checks the replies and the rows in the database. Starts the servers once for the
module; the model is trained only when it is older than its data (`make train`).
"""

import time
import uuid

import pytest
import requests
from sqlalchemy.orm import Session

from channels.silence import UNAVAILABLE
from extramile import store
from extramile.protocol import PAYLOAD_KEY
from extramile.store.reports import session_report as report_of

TYPING_SCALE = 0.05  # customers type 20x faster than life, so the suite stays quick


@pytest.fixture(scope="module")
def database_url(new_postgres_database):
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def servers(database_url, start_servers, tmp_path_factory):
    with start_servers(
        database_url, tmp_path_factory.mktemp("logs"), web=False, typing_scale=TYPING_SCALE
    ) as services:
        yield services


class Trainee:
    def __init__(self, servers, persona, name="Integration"):
        self.servers = servers
        self.sender = f"it-{uuid.uuid4().hex[:10]}"
        self.metadata = {"persona": persona, "trainee": name, "mode": "practice"}
        self.wait_until = 0.0

    def send(self, text):
        time.sleep(max(0.0, self.wait_until - time.time()))  # let the customer finish typing
        response = requests.post(
            f"{self.servers.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text, "metadata": self.metadata},
            timeout=60,
        )
        response.raise_for_status()
        messages = response.json()
        info = next((m["custom"][PAYLOAD_KEY] for m in messages if "custom" in m), {})
        self.wait_until = info.get("ends_at") or 0.0
        return [m["text"] for m in messages if "text" in m], info


def session_report(url, sender):
    with Session(store.create_db_engine(url), future=True) as db:
        return report_of(store.find_session(db, sender))


def test_resolved_conversation(servers, database_url, personas):
    persona = personas["bill-shock-aggressive"].persona
    trainee = Trainee(servers, "bill-shock-aggressive")
    opening, info = trainee.send("/start_session")
    assert opening in persona.opening and info["mood"] == persona.mood.start
    script = [
        "I'm so sorry about that. What happened with your bill?",
        "So your bill jumped from £32 to £58 with no warning at all.",
        "Tell me more about what else has changed on your bill",
        "I've refunded the £26 difference and removed the TV add-on from today.",
    ]
    replies = [trainee.send(text) for text in script]
    assert [info["outcome"] for _, info in replies] == [None, None, None, None]
    assert any("accepted your fix" in n for n in replies[-1][1]["notices"])  # open until closed
    closing, info = trainee.send("Thanks Dave, that's all sorted. Take care, bye.")
    assert info["outcome"] == "resolved"

    report = session_report(database_url, trainee.sender)
    assert report["outcome"] == "resolved" and report["ended_at"]
    assert report["trainee"] == "Integration" and report["persona"]["id"] == persona.id
    agent = [m for m in report["messages"] if m["speaker"] == "agent"]
    assert [m["text"] for m in agent] == script + ["Thanks Dave, that's all sorted. Take care, bye."]
    assert all(m["acts"] and m["at"] for m in agent)
    assert "offer_solution" in [a["act"] for a in agent[-2]["acts"]]
    # Each scorecard records the Rasa model that read the messages.
    assert len(report["scorecard"]["versions"]["nlu_models"]) == 1
    customer = [m["text"] for m in report["messages"] if m["speaker"] == "customer"]
    assert customer[: len(opening)] == opening


def test_customer_gives_up_on_an_arguing_agent(servers, database_url):
    trainee = Trainee(servers, "double-charge-passive")
    trainee.send("/start_session")
    arguments = [
        "You must have clicked the button twice, that's not our fault.",
        "As I already said, there's nothing I can do about it.",
        "You should have read the terms before ordering.",
        "Calm down, it's our policy and I can't change it.",
        "That's just how it is, you're wrong about that.",
        "Like I said, it's not our problem.",
    ]
    outcomes = []
    for text in arguments:
        outcomes.append(trainee.send(text)[1]["outcome"])
        if outcomes[-1]:
            break
    assert outcomes[-1] == "gave_up"
    report = session_report(database_url, trainee.sender)
    assert report["outcome"] == "gave_up" and report["final_mood"] is not None
    assert all(m["acts"][0]["act"] == "argue" for m in report["messages"] if m["speaker"] == "agent")


def test_unknown_persona_and_no_session(servers):
    texts, _ = Trainee(servers, "no-such-customer").send("/start_session")
    assert len(texts) == 1 and "no customer called 'no-such-customer'" in texts[0]
    anonymous = Trainee(servers, "x")
    anonymous.metadata = {}
    texts, _ = anonymous.send("hello there")
    assert "No practice session has started" in texts[0]


def test_action_server_down_then_back(servers, database_url):
    trainee = Trainee(servers, "bill-shock-aggressive")
    trainee.send("/start_session")
    servers.stop_server("actions")
    try:
        texts, info = trainee.send("Hello, I'm Priya from billing, sorry for the wait.")
        assert texts == [UNAVAILABLE] and info["simulator_unavailable"] is True
    finally:
        servers.restart_server("actions")
    texts, info = trainee.send("What happened with your bill?")
    assert texts and info["messages"]
    agent = [
        m["text"] for m in session_report(database_url, trainee.sender)["messages"] if m["speaker"] == "agent"
    ]
    assert agent == ["Hello, I'm Priya from billing, sorry for the wait.", "What happened with your bill?"]


def test_socketio_channel_passes_metadata_and_turn_details(servers, database_url):
    import asyncio

    import socketio

    async def converse():
        client = socketio.AsyncClient()
        received, turn_done = [], asyncio.Event()

        @client.on("bot_uttered")
        async def on_bot(data):
            received.append(data)
            if "custom" in data:
                turn_done.set()

        session_id = f"sio-{uuid.uuid4().hex[:10]}"
        await client.connect(servers.rasa_url, socketio_path="/socket.io", transports=["websocket"])
        await client.emit("session_request", {"session_id": session_id})
        await client.emit(
            "user_uttered",
            {
                "message": "/start_session",
                "session_id": session_id,
                "customData": {"persona": "lost-parcel-expressive", "trainee": "Socket"},
            },
        )
        await asyncio.wait_for(turn_done.wait(), timeout=60)
        await client.disconnect()
        return session_id, received

    session_id, received = asyncio.run(converse())
    texts = [m["text"] for m in received if "text" in m]
    details = received[-1]["custom"][PAYLOAD_KEY]
    assert texts and [m["text"] for m in details["messages"]] == texts
    report = session_report(database_url, session_id)
    assert report["persona"]["id"] == "lost-parcel-expressive" and report["trainee"] == "Socket"
