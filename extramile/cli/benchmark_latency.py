"""Measure training time and REST turn latency: `extramile benchmark-latency` (`make benchmark`).

Training: a full `rasa train` with the cache off (RASA_MAX_CACHE_SIZE=0), timed (skip with
--no-train). Latency: starts the Rasa server and action server on free ports with a fresh SQLite
database, plays whole sessions over REST (each with a chat token, as the web app issues them)
until --turns agent turns have been answered, and prints p50, p95 and max of the round trip.
Customer typing delays are off (the round trip is what the server takes, not the simulated typing).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from extramile import chat_tokens
from extramile.cli.common import percentile
from extramile.devserver import Services, on_free_ports
from extramile.personas import persona_files
from extramile.protocol import PAYLOAD_KEY
from extramile.settings import PROJECT_ROOT, load_settings
from extramile.store import migrate

AGENT_LINES = [
    "Hi, my name is Sam, how can I help?",
    "I'm really sorry about that. What happened?",
    "So what I'm hearing is the bill went up without warning.",
    "Could you tell me more about the charges?",
    "Is the account in your name?",
    "The increase is because your discount ended last month.",
    "That sounds really frustrating.",
    "I can refund the difference to your card today.",
]


def time_training(out_dir: Path) -> float:
    env = {**os.environ, "RASA_MAX_CACHE_SIZE": "0", "RASA_TELEMETRY_ENABLED": "false"}
    start = time.perf_counter()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "--force",
            "--out",
            str(out_dir),
            "--fixed-model-name",
            "benchmark",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure_turns(rasa_url: str, secret_key: str, personas: list[str], turns: int) -> list[float]:
    latencies: list[float] = []
    while len(latencies) < turns:
        persona = personas[len(latencies) % len(personas)]
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        claims = {"conversation_id": sender, "persona": persona, "trainee": "benchmark", "mode": "practice"}
        token, _ = chat_tokens.issue(claims, secret_key, 60, time.time())
        for text in ["/start_session", *AGENT_LINES]:
            start = time.perf_counter()
            response = requests.post(
                f"{rasa_url}/webhooks/rest/webhook",
                timeout=60,
                headers={"Authorization": f"Bearer {token}"},
                json={"sender": sender, "message": text, "message_id": uuid.uuid4().hex},
            )
            latencies.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
            custom = [m["custom"][PAYLOAD_KEY] for m in response.json() if "custom" in m]
            if custom and custom[0].get("outcome"):
                break
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile benchmark-latency", description=__doc__)
    parser.add_argument("--turns", type=int, default=240)
    parser.add_argument("--no-train", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_train:
            print(f"training (cache off): {time_training(Path(tmp)):.1f} s", flush=True)
        settings = on_free_ports(load_settings(), database_url=f"sqlite:///{tmp}/bench.db", typing_scale=0.0)
        migrate(settings.database_url)
        services = Services(settings, web=False, log_dir=Path(tmp) / "logs")
        personas = [p.stem for p in persona_files(settings.personas_dir)]
        key = services.settings.secret_key  # the settings' SECRET_KEY, or one made for this run
        with services:
            measure_turns(services.rasa_url, key, personas, 10)  # warm-up, not counted
            latencies = measure_turns(services.rasa_url, key, personas, args.turns)
    print(
        f"REST turn latency over {len(latencies)} turns: p50 {percentile(latencies, 50):.1f} ms, "
        f"p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms"
    )
    return 0
