"""Start the action server, the Rasa server and the web app together, wait until they answer, keep
them running, stop them.

Used by the start command (`extramile run`), the end-to-end and browser tests and the latency
benchmark, so every one of them runs the product the same way. Each server gets its settings
through its environment, built from one `Settings`. The servers listen on BIND_HOST (127.0.0.1
unless set). Rasa runs without its HTTP API: only its chat channels (credentials.yml) answer, and
they take a chat token signed with SECRET_KEY; without one in the settings, a random key is made
for the run and given to every server.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import requests

from extramile.inbound import body_limit
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
            "web_public_url": f"http://127.0.0.1:{web}",
            **overrides,
        }
    )


def local_host(bind_host: str) -> str:
    """Where this machine reaches a server listening on `bind_host`."""
    if bind_host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if bind_host == "::":
        return "[::1]"
    return f"[{bind_host}]" if ":" in bind_host else bind_host


class Services:
    """The servers as child processes; use as a context manager."""

    # How long `supervise` waits before restarting a server that stopped: doubling from the first
    # value while it keeps stopping, up to the second; reset once it has run for the third.
    restart_delay, max_restart_delay, stable_after = 1.0, 30.0, 60.0

    def __init__(self, settings: Settings, web: bool = True, log_dir: Path | None = None):
        self.generated_secret_key = not settings.secret_key
        if self.generated_secret_key:
            settings = settings.copy(update={"secret_key": secrets.token_urlsafe(32)})
        self.settings = settings
        self.web = web
        self.log_dir = log_dir  # None: children write to this terminal
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, IO[bytes]] = {}

    def _url(self, port: int) -> str:
        return f"http://{local_host(self.settings.bind_host)}:{port}"

    @property
    def rasa_url(self) -> str:
        return self._url(self.settings.rasa_port)

    @property
    def action_url(self) -> str:
        return self._url(self.settings.action_port)

    @property
    def web_url(self) -> str:
        return self._url(self.settings.web_port)

    def _environment(self, name: str) -> dict[str, str]:
        environment = {**os.environ, **self.settings.child_environment()}
        if name == "actions":
            environment["SANIC_HOST"] = self.settings.bind_host  # rasa_sdk reads it (default 0.0.0.0)
        if name == "rasa":
            # Sanic reads SANIC_* into Rasa's app config: refuse bodies no chat message needs (413)
            # before reading them. The channels check the size again, for a Rasa started by hand.
            environment["SANIC_REQUEST_MAX_SIZE"] = str(body_limit(self.settings.max_message_chars))
        return environment

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            if name in self._logs:  # the previous run of this server has stopped
                self._logs.pop(name).close()
            # open for the child's lifetime; stop() closes it
            out = self._logs[name] = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            env=self._environment(name),
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
                    "--interface",
                    self.settings.bind_host,
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
        # The REST channel's health route: Rasa's /status is part of its HTTP API, which is off.
        urls = [f"{self.action_url}/health", f"{self.rasa_url}/webhooks/rest/"]
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
        for log in self._logs.values():
            log.close()
        self._logs.clear()

    def supervise(self, should_stop: Callable[[], bool] = lambda: False, poll: float = 1.0) -> None:
        """Restart any server that stops, after a short back-off, until `should_stop()`; the others
        keep running. Each stop and restart is reported on stderr."""
        started: dict[str, float] = {}
        failures: dict[str, int] = {}
        due: dict[str, float] = {}  # server -> when to start it again
        while not should_stop():
            now = time.monotonic()
            for name, process in list(self.processes.items()):
                code = process.poll()
                if name in due or code is None:
                    if code is None and now - started.setdefault(name, now) > self.stable_after:
                        failures[name] = 0
                    continue
                delay = min(self.max_restart_delay, self.restart_delay * 2 ** failures.get(name, 0))
                failures[name] = failures.get(name, 0) + 1
                due[name] = now + delay
                print(
                    f"The {name} server stopped (exit code {code}); restarting it in {delay:.0f} s.",
                    file=sys.stderr,
                )
            for name, when in list(due.items()):
                if now >= when:
                    del due[name]
                    self.start_server(name)
                    started[name] = time.monotonic()
                    print(f"The {name} server is starting again.", file=sys.stderr, flush=True)
            time.sleep(poll)

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
