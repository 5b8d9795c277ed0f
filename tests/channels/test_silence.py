"""The channels never leave the trainee in silence: an empty Rasa turn becomes a notice."""

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.silence import NO_ANSWER, UNAVAILABLE, action_server_is_up, answer_or_explain
from extramile.devserver import free_port
from extramile.protocol import NOTICE_PREFIX, PAYLOAD_KEY


def handle(on_new_message, webhook):
    output = CollectingOutputChannel()
    message = UserMessage("hello", output, sender_id="s-1")
    asyncio.run(answer_or_explain(on_new_message, webhook)(message))
    return output.messages


def test_a_silent_turn_with_the_action_server_down_says_the_simulator_is_unavailable():
    async def silent(message):
        return None

    dead = f"http://127.0.0.1:{free_port()}/webhook"
    messages = handle(silent, dead)
    assert [m["text"] for m in messages if m.get("text")] == [UNAVAILABLE]
    assert UNAVAILABLE.startswith(NOTICE_PREFIX)
    [payload] = [m["custom"][PAYLOAD_KEY] for m in messages if m.get("custom")]
    assert payload["notices"] == [UNAVAILABLE] and payload["simulator_unavailable"] is True
    assert payload["outcome"] is None and payload["messages"] == []


def test_a_turn_that_answers_is_passed_through_untouched():
    async def answers(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Hi there"})

    messages = handle(answers, f"http://127.0.0.1:{free_port()}/webhook")
    assert [m["text"] for m in messages] == ["Hi there"]


def test_no_server_answering_health_is_down():
    assert asyncio.run(action_server_is_up(f"http://127.0.0.1:{free_port()}/webhook")) is False
    assert NO_ANSWER != UNAVAILABLE
