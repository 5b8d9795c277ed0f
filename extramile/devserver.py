"""Start the action server, the Rasa server and the web app together, wait until they answer, stop them.

Used by the start command (`extramile run`), the end-to-end and browser tests and the latency
benchmark, so every one of them runs the product the same way. Each server gets its settings
through its environment, built from one `Settings`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import requests

from extramile.settings import PROJECT_ROOT, Settings

SERVERS = ("actions", "rasa", "web")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def on_free_ports(settings: Settings, **overrides: object) -> Settings:
    """The same settings with every server on a free port of this machine (tests, benchmarks)."""
    rasa, action, web = free_port(), free_port(), free_port()
    return settings.copy(
        update={
            "rasa_port": rasa,
            "action_port": action,
            "web_port": web,
            "action_server_url": f"http://127.0.0.1:{action}/webhook",
            "rasa_public_url": f"http://127.0.0.1:{rasa}",
            **overrides,
        }
    )


class Services:
    """The servers as child processes; use as a context manager."""

    def __init__(self, settings: Settings, web: bool = True, log_dir: Path | None = None):
        self.settings = settings
        self.web = web
        self.log_dir = log_dir  # None: children write to this terminal
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[bytes]] = []

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            # open for the child's lifetime; stop() closes it
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
            self._logs.append(out)
        process = subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.settings.child_environment()},
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
        )
        self.processes[name] = process
        return process

    def _rasa(self) -> str:
        return str(Path(sys.executable).parent / "rasa")

    def start_server(self, name: str) -> subprocess.Popen[bytes]:
        if name == "actions":
            return self._spawn(
                name,
                [
                    self._rasa(),
                    "run",
                    "actions",
                    "--port",
                    str(self.settings.action_port),
                    "--actions",
                    "actions",
                ],
            )
        if name == "rasa":
            return self._spawn(
                name,
                [
                    self._rasa(),
                    "run",
                    "--enable-api",
                    "--cors",
                    "*",
                    "--port",
                    str(self.settings.rasa_port),
                    "--model",
                    str(self.settings.rasa_model),
                    "--credentials",
                    "credentials.yml",
                    "--endpoints",
                    "endpoints.yml",
                ],
            )
        if name == "web":
            return self._spawn(name, [sys.executable, "-m", "web"])
        raise ValueError(f"no server called {name!r}; the servers are {SERVERS}")

    def start(self, timeout: float = 180) -> Services:
        for name in SERVERS:
            if name != "web" or self.web:
                self.start_server(name)
        self.wait_until_ready(timeout)
        return self

    def wait_until_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        urls = [f"{self.action_url}/health", f"{self.rasa_url}/status"]
        if self.web:
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
        """Stop one server as an outage would; `restart_server` brings it back."""
        process = self.processes.pop(name)
        process.terminate()
        process.wait(timeout=30)

    def restart_server(self, name: str, timeout: float = 180) -> None:
        self.start_server(name)
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
