"""Start the Rasa server and the action server together, wait until both answer, stop both.

Used by `make run` (scripts/run.py), the integration tests and the latency benchmark, so every
one of them runs the product the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
MODEL = PROJECT_ROOT / "models" / "extra-mile.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Services:
    """The two servers as child processes; use as a context manager."""

    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int | None = 8000  # None: no web app
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None  # None: children write to this terminal
    model: Path = MODEL
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)  # by server name
    _logs: list[IO] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "ACTION_SERVER_URL": f"{self.action_url}/webhook",
            "RASA_PUBLIC_URL": self.rasa_url,
            "WEB_PORT": str(self.web_port),
            **self.env,
        }

    def _spawn(self, name: str, args: list[str], program: str = "rasa") -> subprocess.Popen:
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            # open for the child's lifetime; stop() closes it
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
            self._logs.append(out)
        process = subprocess.Popen(
            [str(VENV_BIN / program), *args], cwd=PROJECT_ROOT, env=self._environment(),
            stdout=out, stderr=subprocess.STDOUT if out else None,
        )
        self.processes[name] = process
        return process

    def start_actions(self) -> subprocess.Popen:
        return self._spawn("actions", ["run", "actions", "--port", str(self.action_port),
                                       "--actions", "actions"])

    def start_rasa(self) -> subprocess.Popen:
        return self._spawn("rasa", [
            "run", "--enable-api", "--cors", "*", "--port", str(self.rasa_port),
            "--model", str(self.model), "--credentials", "credentials.yml",
            "--endpoints", "endpoints.yml",
        ])

    def start_web(self) -> subprocess.Popen:
        return self._spawn("web", ["-m", "web"], program="python")

    def start(self, timeout: float = 180) -> Services:
        self.start_actions()
        self.start_rasa()
        if self.web_port is not None:
            self.start_web()
        self.wait_until_ready(timeout)
        return self

    def wait_until_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        urls = [f"{self.action_url}/health", f"{self.rasa_url}/status"]
        if self.web_port is not None:
            urls.append(f"{self.web_url}/api/health")
        for url in urls:
            while True:
                if any(p.poll() is not None for p in self.processes.values()):
                    raise RuntimeError(f"a server exited while starting; see {self.log_dir or 'output'}")
                try:
                    if requests.get(url, timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
                time.sleep(0.5)

    def stop_server(self, name: str) -> None:
        """Stop one server ("actions", "rasa" or "web") as an outage would; restart_server revives it."""
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=30)

    def restart_server(self, name: str, timeout: float = 180) -> None:
        starters = {"actions": self.start_actions, "rasa": self.start_rasa, "web": self.start_web}
        starters[name]()
        self.wait_until_ready(timeout)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
