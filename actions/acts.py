"""The agent's dialogue acts: the names Rasa's NLU predicts for a trainee's message.

One vocabulary for the whole project: the NLU intents, the persona files' reply keys and the
customer engine all use these names.
"""

from __future__ import annotations

from typing import Literal, get_args

AgentAct = Literal[
    "greet",
    "introduce_self",
    "ask_open_question",
    "ask_closed_question",
    "reflect",
    "apologize",
    "empathize",
    "explain",
    "offer_solution",
    "promise_follow_up",
    "ask_permission",
    "thank",
    "goodbye",
    "argue",
    "out_of_scope",
]

AGENT_ACTS: tuple[str, ...] = get_args(AgentAct)

# Rasa multi-intents join acts with this symbol ("apologize+ask_open_question").
MULTI_ACT_SEPARATOR = "+"

# Commands the chat client sends as Rasa intents ("/start_session"); they are not agent acts.
START_SESSION_INTENT = "start_session"
END_SESSION_INTENT = "end_session"  # the trainee pressed "End chat"
CLIENT_COMMANDS = (START_SESSION_INTENT, END_SESSION_INTENT)


def client_command(text: str) -> str | None:
    """The command in a message the client sent as "/start_session" or "/end_session", else None.

    Decided on the text, not the predicted intent: a trainee who types "let's begin" mid-session is
    talking to the customer, and that message must be scored and logged like any other."""
    stripped = text.strip()
    return stripped[1:] if stripped.startswith("/") and stripped[1:] in CLIENT_COMMANDS else None


def split_intent(intent_name: str) -> tuple[str, ...]:
    """The agent acts in a (possibly multi-) intent name, in order, unknown names dropped."""
    return tuple(
        part for part in intent_name.split(MULTI_ACT_SEPARATOR) if part in AGENT_ACTS
    )
