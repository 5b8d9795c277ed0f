"""The agent's dialogue acts: the names Rasa's NLU predicts for a trainee's message.

One vocabulary for the whole project: the NLU intents, the persona files' reply keys and the
customer engine all use these names.
"""

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

# The intent the chat client sends to open a session; it is not an agent act.
START_SESSION_INTENT = "start_session"


def split_intent(intent_name: str) -> tuple[str, ...]:
    """The agent acts in a (possibly multi-) intent name, in order, unknown names dropped."""
    return tuple(
        part for part in intent_name.split(MULTI_ACT_SEPARATOR) if part in AGENT_ACTS
    )
