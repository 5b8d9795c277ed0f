"""Measure training time and REST turn latency: `python scripts/benchmark_latency.py`.

Training: a full `rasa train` with the cache off (RASA_MAX_CACHE_SIZE=0), timed (skip with
--no-train). Latency: starts the Rasa server and action server on free ports with a fresh SQLite
database, plays whole sessions over REST until --turns agent turns have been answered, and prints
p50, p95 and max of the round trip. Customer typing delays are off (the round trip is what the
server takes, not the simulated typing).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

import _project  # noqa: F401
from actions import storage
from services import Services, free_port

ROOT = _project.PROJECT_ROOT
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
    subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "--force", "--out",
                    str(out_dir), "--fixed-model-name", "benchmark"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure_turns(rasa_url: str, personas: list, turns: int) -> list:
    latencies = []
    while len(latencies) < turns:
        persona = personas[len(latencies) % len(personas)]
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        metadata = {"persona": persona, "trainee": "benchmark", "mode": "practice"}
        for text in ["/start_session", *AGENT_LINES]:
            start = time.perf_counter()
            response = requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=60,
                                     json={"sender": sender, "message": text, "metadata": metadata})
            latencies.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
            custom = [m["custom"]["extra_mile"] for m in response.json() if "custom" in m]
            if custom and custom[0].get("outcome"):
                break
    return latencies


def percentile(values: list, q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=240)
    parser.add_argument("--no-train", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_train:
            print(f"training (cache off): {time_training(Path(tmp)):.1f} s", flush=True)
        url = f"sqlite:///{tmp}/bench.db"
        storage.migrate(url)
        services = Services(rasa_port=free_port(), action_port=free_port(), web_port=None,
                            env={"DATABASE_URL": url, "CUSTOMER_TYPING_SCALE": "0"},
                            log_dir=Path(tmp) / "logs")
        personas = sorted(p.stem for p in (ROOT / "personas").glob("*.yml"))
        with services:
            measure_turns(services.rasa_url, personas, 10)  # warm-up, not counted
            latencies = measure_turns(services.rasa_url, personas, args.turns)
    print(f"REST turn latency over {len(latencies)} turns: p50 {percentile(latencies, 50):.1f} ms, "
          f"p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
