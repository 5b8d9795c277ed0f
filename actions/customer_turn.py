"""`action_customer_turn`: runs after every trainee message and plays the customer's turn.

Reads the message, its acts, its server time and the NLU model from Rasa's tracker, hands them
to the practice-session service in a worker thread (the database and the detectors block),
sends the customer's messages and the turn payload back, and keeps a copy of the customer's state
in a slot (the session log's copy is the one that counts). Each message's `message_id` is its
idempotency key: a retry of a message already logged gets the customer's reply to it again.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from extramile.customer import DetectedAct
from extramile.inbound import unmark_plain_text
from extramile.practice import ChatMessage, PracticeService, Step, practice_service
from extramile.protocol import ScheduledMessage, TurnPayload, notice_text
from extramile.settings import load_settings
from extramile.vocab import split_intent


def chat_message(event: dict[str, Any]) -> ChatMessage:
    """The trainee's message from a Rasa `user` event: text, acts, server time, NLU model."""
    intent = (event.get("parse_data") or {}).get("intent") or {}
    confidence = round(float(intent.get("confidence") or 0.0), 4)
    return ChatMessage(
        text=unmark_plain_text(event.get("text") or ""),  # as typed: without the channel's marker
        at=float(event["timestamp"]),
        acts=tuple(
            DetectedAct(act=act, confidence=confidence) for act in split_intent(intent.get("name") or "")
        ),
        nlu_model=(event.get("metadata") or {}).get("model_id"),
        message_id=event.get("message_id"),
    )


def _metadata(tracker: Tracker) -> dict[str, Any]:
    latest = tracker.latest_message.get("metadata") or {}
    if "persona" in latest:
        return latest
    return tracker.get_slot("session_started_metadata") or latest


def turn_payload(step: Step, server_time: float) -> TurnPayload:
    """Machine-readable detail of the turn, for clients that show typing, mood and hints."""
    turn = step.customer_turn
    return TurnPayload(
        messages=[ScheduledMessage(text=m.text, at=m.at) for m in turn.messages] if turn else [],
        ends_at=turn.ends_at if turn else None,
        mood=turn.mood if turn else None,
        interrupted=turn.interrupted if turn else False,
        outcome=step.state.outcome if step.state else None,
        notices=step.notices,
        hint=step.hint,
        server_time=server_time,
    )


class ActionCustomerTurn(Action):
    def __init__(self, practice: PracticeService | None = None) -> None:
        self.practice = practice or practice_service(load_settings())

    def name(self) -> str:
        return "action_customer_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        user_events = [e for e in tracker.events if e.get("event") == "user"]
        latest = user_events[-1]
        processed_until: float | None = tracker.get_slot("processed_until")
        # Messages that reached Rasa while the action server was down: logged, never lost.
        missed = [
            chat_message(e)
            for e in user_events[:-1]
            if processed_until is not None and float(e["timestamp"]) > processed_until
        ]
        step = await asyncio.to_thread(
            self.practice.handle,
            tracker.sender_id,
            _metadata(tracker),
            chat_message(latest),
            tracker.get_slot("customer_state"),
            missed,
        )
        for message in step.customer_turn.messages if step.customer_turn else []:
            dispatcher.utter_message(text=message.text)
        for notice in step.notices:
            dispatcher.utter_message(text=notice_text(notice))
        dispatcher.utter_message(json_message=turn_payload(step, time.time()).custom_message())
        # Not saved (the database failed): the trainee was told to send it again, so it must not
        # come back as "missed" later, and the customer's state stays as it was.
        until = float(latest["timestamp"]) if step.state or not step.saved else None
        if not step.saved:
            return [SlotSet("processed_until", until)]
        return [
            SlotSet("customer_state", step.state.dict() if step.state else None),
            SlotSet("processed_until", until),
        ]
