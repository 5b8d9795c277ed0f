"""Rasa actions: the thin layer between Rasa's tracker and the plain session modules.

`action_customer_turn` runs after every trainee message. It reads the message, its acts and the
server timestamp from the tracker, hands them to `PracticeSessions`, sends the customer's messages
back, and keeps the customer's state in a slot so any action server can play the next turn.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import storage
from actions.acts import END_SESSION_INTENT, START_SESSION_INTENT, client_command, split_intent
from actions.customer import AgentMessage, DetectedAct
from actions.labelling import label_transcript
from actions.rubric import load_rubric
from actions.session import PracticeSessions, Step
from actions.settings import load_settings
from actions.skills.argue_model import argue_model

NOTICE_PREFIX = "[Extra Mile] "


@lru_cache(maxsize=1)
def practice_sessions() -> PracticeSessions:
    settings = load_settings()
    storage.migrate(settings.database_url)
    argue_model()  # trained once here, as the first session opens, not during a trainee's reply
    return PracticeSessions(
        storage.create_db_engine(settings.database_url), settings.personas_dir,
        rubric=load_rubric(settings.rubric_file), label=label_transcript,
        typing_scale=settings.typing_scale,
    )


def agent_message(event: dict[str, Any]) -> AgentMessage:
    """The trainee's message from a Rasa `user` event: text, acts and server timestamp."""
    intent = (event.get("parse_data") or {}).get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    return AgentMessage(
        text=event.get("text") or "",
        acts=tuple(
            DetectedAct(act=act, confidence=round(confidence, 4))
            for act in split_intent(intent.get("name") or "")
        ),
        timestamp=float(event["timestamp"]),
    )


def _user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [e for e in tracker.events if e.get("event") == "user"]


def _metadata(tracker: Tracker) -> dict[str, Any]:
    latest = tracker.latest_message.get("metadata") or {}
    if "persona" in latest:
        return latest
    return tracker.get_slot("session_started_metadata") or latest


def _turn_payload(step: Step) -> dict[str, Any]:
    """Machine-readable detail of the turn, for clients that show typing and mood."""
    turn = step.customer_turn
    payload: dict[str, Any] = {
        "notices": step.notices, "hint": step.hint,
        "outcome": step.state.outcome if step.state else None,
    }
    if turn is not None:
        payload.update(
            messages=[m.dict() for m in turn.messages], ends_at=turn.ends_at, mood=turn.mood,
            interrupted=turn.interrupted,
        )
    return {"extra_mile": payload}


class ActionCustomerTurn(Action):
    def name(self) -> str:
        return "action_customer_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        user_events = _user_events(tracker)
        latest = user_events[-1]
        processed_until: float | None = tracker.get_slot("processed_until")
        # Messages that reached Rasa while the action server was down: logged, never lost.
        missed = [
            agent_message(e) for e in user_events[:-1]
            if processed_until is not None and float(e["timestamp"]) > processed_until
        ]
        command = client_command(latest.get("text") or "")
        step = practice_sessions().step(
            sender_id=tracker.sender_id,
            metadata=_metadata(tracker),
            message=agent_message(latest),
            state=tracker.get_slot("customer_state"),
            missed=missed,
            starts_session=command == START_SESSION_INTENT,
            ends_session=command == END_SESSION_INTENT,
        )
        for message in step.customer_turn.messages if step.customer_turn else []:
            dispatcher.utter_message(text=message.text)
        for notice in step.notices:
            dispatcher.utter_message(text=NOTICE_PREFIX + notice)
        dispatcher.utter_message(json_message=_turn_payload(step))
        return [
            SlotSet("customer_state", step.state.dict() if step.state else None),
            SlotSet("processed_until", float(latest["timestamp"]) if step.state else None),
        ]
