"""Reading agent messages' acts with the trained Rasa model in this process, for chat logs that
come without them (`extramile score-transcript`, the calibration suite).

The same model the Rasa server runs, loaded with Rasa's own `Agent`, so a message is read as it
would have been live. Rasa is imported only here, inside the command-line adapter: the core
package never imports Rasa.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extramile.vocab import AgentAct, split_intent


class RasaActs:
    """Loads the model once; then reads any number of messages in one call."""

    def __init__(self, model: Path):
        if not model.exists():
            raise FileNotFoundError(f"{model} does not exist: run `make train` to train the NLU model.")
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.ERROR)  # Rasa logs every parse otherwise, to stdout
        self._agent: Any = Agent.load(str(model))

    @property
    def model_id(self) -> str:
        return str(self._agent.processor.model_metadata.model_id)

    def __call__(self, texts: Sequence[str]) -> list[tuple[AgentAct, ...]]:
        async def parse_all() -> list[dict[str, Any]]:
            return [await self._agent.parse_message(text) for text in texts]

        return [split_intent(parsed["intent"]["name"]) for parsed in asyncio.run(parse_all())]
