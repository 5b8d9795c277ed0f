"""`extramile run` keeps the product up: a server that stops is started again, the others keep running.

Runs the servers as `extramile run` does (Services.start, then Services.supervise), kills the Rasa
server with SIGKILL, and checks that it comes back and answers while the action server and the
web app run on untouched.
"""

import os
import signal
import threading
import time

import requests


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def test_a_killed_rasa_server_comes_back_and_nothing_else_stops(start_servers, tmp_path, new_trainee, capsys):
    services = start_servers(
        f"sqlite:///{tmp_path / 'extramile.db'}", tmp_path / "logs", web=True, typing_scale=0.0
    )
    services.restart_delay = 0.5
    with services:
        others = {name: process for name, process in services.processes.items() if name != "rasa"}
        stop = threading.Event()
        supervisor = threading.Thread(
            target=services.supervise, kwargs={"should_stop": stop.is_set, "poll": 0.2}
        )
        supervisor.start()
        try:
            killed = services.processes["rasa"]
            os.kill(killed.pid, signal.SIGKILL)
            deadline = time.monotonic() + 180
            while not (
                services.processes["rasa"] is not killed and answers(f"{services.rasa_url}/webhooks/rest/")
            ):
                assert time.monotonic() < deadline, "the Rasa server did not come back"
                time.sleep(1)
            assert killed.poll() == -signal.SIGKILL
            assert {name: services.processes[name] for name in others} == others
            assert all(process.poll() is None for process in services.processes.values())
            assert answers(f"{services.action_url}/health") and answers(f"{services.web_url}/api/health")
            assert new_trainee(services, "bill-shock-aggressive").send("/start_session")[1]["messages"]
        finally:
            stop.set()
            supervisor.join()
    assert "The rasa server stopped (exit code -9); restarting it" in capsys.readouterr().err
