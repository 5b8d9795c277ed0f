"""The transcript: messages grouped into turns, and the lookups the scorer relies on."""

import pytest

from extramile.transcript import Message, Transcript, Turn


def transcript():
    messages = (
        Message(0, 0, "customer", "My bill doubled!", 5.0),
        Message(1, 0, "customer", "Sort it out.", 9.0),
        Message(2, 1, "agent", "Sorry! What happened?", 8.0, acts=("apologize", "ask_open_question")),
        Message(3, 2, "customer", "It went from 32 to 58.", 20.0, fact="amount"),
        Message(4, 3, "agent", "So it went up by 26.", 30.0, acts=("reflect",)),
    )
    turns = (
        Turn(0, "customer", 9.0, mood=30),
        Turn(1, "agent", 8.0),
        Turn(2, "customer", 20.0, mood=34, mood_delta=4, mood_reasons=("apologize (+4)",)),
        Turn(3, "agent", 30.0),
    )
    return Transcript("p", "aggressive", messages, turns, (("amount", "the amount"),))


def test_customer_turn_before_an_agent_message_is_the_latest_in_the_log():
    t = transcript()
    first, second = t.agent_messages
    assert t.customer_turn_before(first).index == 0
    assert t.customer_turn_before(first).ends_at == 9.0  # sent at 8.0: an interruption
    assert t.customer_turn_before(second).index == 2
    assert [m.position for m in t.messages_of(t.turn(0))] == [0, 1]


def test_agent_numbers_and_context():
    t = transcript()
    first, second = t.agent_messages
    assert (t.agent_number(first), t.agent_number(second)) == (1, 2)
    assert [m.position for m in t.before(second, 2)] == [2, 3]


def test_turns_and_messages_must_agree():
    t = transcript()
    with pytest.raises(ValueError, match="turns"):
        Transcript("p", "aggressive", t.messages, t.turns[:3])
    with pytest.raises(ValueError, match="no messages"):
        Transcript("p", "aggressive", t.messages[:3], t.turns)
