"""Play the realism suite through the real action code and print what the customers said:
`extramile realism-report [DIR]` (default: tests/realism).

Each exchange is a fresh session on a throw-away SQLite log; each agent message is read by the
trained NLU model (in this process), handed to `action_customer_turn` in a Rasa tracker as the
Rasa server would, and the customer's answer is compared with what the script expects. Prints
every exchange that disagrees and the share of answers that were on topic.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.customer_turn import ActionCustomerTurn
from extramile.cli.nlu import RasaActs
from extramile.practice import practice_service
from extramile.protocol import PAYLOAD_KEY
from extramile.realism import Checked, check, line_sources, load_scripts
from extramile.settings import PROJECT_ROOT, Settings, load_settings
from extramile.vocab import Outcome

SEED = 11  # every exchange meets the same customer: the suite's results do not vary by run


class Chat:
    """One session driven through the action, as Rasa drives it, with the customer never cut off."""

    def __init__(self, action: ActionCustomerTurn, read_acts: RasaActs, persona: str, sender: str):
        self.action, self.read_acts, self.sender = action, read_acts, sender
        self.metadata = {"persona": persona, "trainee": "Realism", "mode": "practice", "seed": SEED}
        self.slots: dict[str, Any] = {"customer_state": None, "processed_until": None}
        self.events: list[dict[str, Any]] = []
        self.clock = 1_000_000.0

    def send(self, text: str) -> tuple[list[str], Outcome | None]:
        acts = self.read_acts([text])[0] if not text.startswith("/") else ()
        intent = "+".join(acts) or (text.lstrip("/") if text.startswith("/") else "out_of_scope")
        parse_data = {"intent": {"name": intent, "confidence": 1.0}}
        event = {
            "event": "user",
            "text": text,
            "timestamp": self.clock,
            "metadata": self.metadata,
            "parse_data": parse_data,
        }
        self.events.append(event)
        tracker = Tracker(
            self.sender,
            dict(self.slots),
            {**parse_data, "text": text, "metadata": self.metadata},
            list(self.events),
            False,
            None,
            None,
            "action_listen",
        )
        dispatcher = CollectingDispatcher()
        for slot in asyncio.run(self.action.run(dispatcher, tracker, {})):
            self.slots[slot["name"]] = slot["value"]
        payload = next(m["custom"][PAYLOAD_KEY] for m in dispatcher.messages if m.get("custom"))
        # The agent waits until the customer has finished typing, as a patient trainee does.
        self.clock = max(self.clock, payload.get("ends_at") or self.clock) + 5.0
        return [m["text"] for m in payload["messages"]], payload["outcome"]


def run(settings: Settings, folder: Path) -> list[Checked]:
    read_acts = RasaActs(settings.rasa_model)
    results: list[Checked] = []
    with tempfile.TemporaryDirectory() as tmp:
        practice = practice_service(settings.copy(update={"database_url": f"sqlite:///{tmp}/realism.db"}))
        action = ActionCustomerTurn(practice)
        for script in load_scripts(folder.glob("*.yml")):
            persona = practice.catalogue.personas()[script.persona].persona
            sources = line_sources(persona)
            for number, exchange in enumerate(script.exchanges):
                chat = Chat(action, read_acts, persona.id, f"{script.persona}-{number}")
                chat.send("/start_session")
                for step in exchange.say:
                    replied, outcome = chat.send(step.text)
                    if step.expect is not None:
                        results.append(check(persona, sources, exchange.name, step, replied, outcome))
    return results


def on_topic(results: Sequence[Checked]) -> float:
    return sum(not r.problems for r in results) / len(results) if results else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile realism-report", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=PROJECT_ROOT / "tests" / "realism")
    args = parser.parse_args(argv)
    results = run(load_settings(), args.folder)
    for result in results:
        if result.problems:
            print(f"NO  {result.persona}: {result.exchange}: {result.text!r}\n      -> {result.replied}")
            for problem in result.problems:
                print(f"      {problem}")
    print(
        f"\n{sum(not r.problems for r in results)} of {len(results)} answers as the trainers expect "
        f"({on_topic(results):.1%} on topic)"
    )
    return 0 if all(not r.problems for r in results) else 1
