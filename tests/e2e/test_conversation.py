"""End to end: a trained model in a real Rasa server, the real action server, PostgreSQL.

Plays whole conversations over REST the way a trainee would (a chat token, waiting for the
customer to finish typing), then checks the replies and the rows in the database. Starts the
servers once for the module; the model is trained only when it is older than its data (`make train`).
"""

import asyncio
import uuid

import pytest
import socketio

from channels.silence import UNAVAILABLE
from extramile.protocol import PAYLOAD_KEY

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


def test_resolved_conversation(servers, database_url, personas, new_trainee, session_report):
    persona = personas["bill-shock-aggressive"].persona
    trainee = new_trainee(servers, "bill-shock-aggressive")
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
    assert report["trainee"] == f"trainee-{trainee.sender}" and report["persona"]["id"] == persona.id
    agent = [m for m in report["messages"] if m["speaker"] == "agent"]
    assert [m["text"] for m in agent] == script + ["Thanks Dave, that's all sorted. Take care, bye."]
    assert all(m["acts"] and m["at"] for m in agent)
    assert "offer_solution" in [a["act"] for a in agent[-2]["acts"]]
    # Each scorecard records the Rasa model that read the messages.
    assert len(report["scorecard"]["versions"]["nlu_models"]) == 1
    customer = [m["text"] for m in report["messages"] if m["speaker"] == "customer"]
    assert customer[: len(opening)] == opening


def test_customer_gives_up_on_an_arguing_agent(servers, database_url, new_trainee, session_report):
    trainee = new_trainee(servers, "double-charge-passive")
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


def test_unknown_persona_and_no_token(servers, database_url, new_trainee, session_report):
    texts, _ = new_trainee(servers, "no-such-customer").send("/start_session")
    assert len(texts) == 1 and "no customer called 'no-such-customer'" in texts[0]
    anonymous = new_trainee(servers, "bill-shock-aggressive")
    reply = anonymous.post(
        {"sender": anonymous.sender, "message": "/start_session"}, headers={"Authorization": ""}
    )
    assert reply.status_code == 401 and "chat token is required" in reply.json()["error"]
    assert session_report(database_url, anonymous.sender) is None


def test_slash_text_mid_session_is_the_trainees_text(servers, database_url, new_trainee, session_report):
    """Rasa would read these as intents (`/restart` wipes the conversation, `/back` undoes a turn)."""
    trainee = new_trainee(servers, "bill-shock-aggressive")
    opening, _ = trainee.send("/start_session")
    script = [
        "/restart",
        "I'm so sorry about that. What happened with your bill?",
        "/back",
        "So your bill jumped from £32 to £58 with no warning at all.",
        '/offer_solution{"refund": 26}',
    ]
    for text in script:
        texts, info = trainee.send(text)
        assert info["messages"] and info["outcome"] is None, (text, texts)
        assert not any(t.startswith("[Extra Mile]") for t in texts), (text, texts)
    report = session_report(database_url, trainee.sender)
    assert [m["text"] for m in report["messages"] if m["speaker"] == "agent"] == script
    customer = [m["text"] for m in report["messages"] if m["speaker"] == "customer"]
    assert customer[: len(opening)] == opening and customer.count(opening[0]) == 1  # one opening


def test_an_ended_assessment_stays_ended(servers, database_url, new_trainee, session_report):
    trainee = new_trainee(servers, "double-charge-passive", mode="assessment")
    trainee.send("/start_session")
    outcome = None
    for text in ["You must have clicked twice, that's not our fault.", "Calm down, it's our policy."] * 4:
        outcome = trainee.send(text)[1]["outcome"]
        if outcome:
            break
    assert outcome == "gave_up"
    for text in ["/restart", "/back", "Hi, I'm Sam. I'm so sorry. What happened?", "/start_session"]:
        texts, info = trainee.send(text)
        assert info["outcome"] in (None, "gave_up") and all(t.startswith("[Extra Mile]") for t in texts)
    report = session_report(database_url, trainee.sender)
    assert report["outcome"] == "gave_up"


def test_action_server_down_then_back(servers, database_url, new_trainee, session_report):
    trainee = new_trainee(servers, "bill-shock-aggressive")
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


def test_socketio_session_comes_from_the_token(servers, database_url, issue_token, session_report):
    session_id = f"sio-{uuid.uuid4().hex[:10]}"
    token = issue_token(servers, session_id, "lost-parcel-expressive", "Socket")

    async def converse():
        client = socketio.AsyncClient()
        received, turn_done = [], asyncio.Event()

        @client.on("bot_uttered")
        async def on_bot(data):
            received.append(data)
            if "custom" in data:
                turn_done.set()

        await client.connect(
            servers.rasa_url, socketio_path="/socket.io", transports=["websocket"], auth={"token": token}
        )
        await client.emit("session_request", {"session_id": session_id})
        await client.emit(
            "user_uttered",
            {
                "message": "/start_session",
                "session_id": session_id,
                "message_id": uuid.uuid4().hex,
                # Ignored: the session is the token's.
                "customData": {"persona": "bill-shock-aggressive", "trainee": "Mallory"},
            },
        )
        await asyncio.wait_for(turn_done.wait(), timeout=60)
        await client.disconnect()
        return received

    received = asyncio.run(converse())
    texts = [m["text"] for m in received if "text" in m]
    details = received[-1]["custom"][PAYLOAD_KEY]
    assert texts and [m["text"] for m in details["messages"]] == texts
    report = session_report(database_url, session_id)
    assert report["persona"]["id"] == "lost-parcel-expressive" and report["trainee"] == "Socket"
