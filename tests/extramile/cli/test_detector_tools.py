"""The labelling and evaluation scripts, run as a user would."""

import json
import subprocess
import sys
from pathlib import Path

from extramile.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT
ROWS = [
    {"id": "a", "text": "Tell me what happened.", "context": []},
    {
        "id": "b",
        "text": "I'm sorry you were charged twice.",
        "context": [{"speaker": "customer", "text": "You charged me twice!"}],
    },
]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_label_script_reads_stdin_and_writes_one_line_each() -> None:
    result = _run("scripts/label_utterances.py", stdin="".join(json.dumps(r) + "\n" for r in ROWS))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["question"] == "open"
    assert out[1]["apology"] == "apology"
    assert set(out[0]) == {"id", "question", "reflection", "apology", "argue"}


def test_label_script_reports_bad_lines_and_keeps_the_good(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(ROWS[0]) + "\n{not json\n" + json.dumps({"id": "c"}) + "\n" + json.dumps(ROWS[1]) + "\n"
    )
    target = tmp_path / "out.jsonl"
    result = _run("scripts/label_utterances.py", "--input", str(source), "--output", str(target))
    assert result.returncode != 0
    assert "line 2" in result.stderr and "line 3" in result.stderr and '"text"' in result.stderr
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == ["a", "b"]


def test_evaluate_script_prints_table_and_json(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({**ROWS[0], "gold": {"question": "open", "apology": "none"}})
        + "\n"
        + json.dumps({**ROWS[1], "gold": {"question": "none", "apology": "apology"}})
        + "\n"
    )
    table = _run("scripts/evaluate_scorers.py", str(gold))
    assert table.returncode == 0, table.stderr
    assert "Cohen's kappa" in table.stdout and "apology" in table.stdout
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(
        json.dumps({"id": "a", "question": "closed", "apology": "none"})
        + "\n"
        + json.dumps({"id": "b", "question": "none", "apology": "apology"})
        + "\n"
    )
    machine = _run("scripts/evaluate_scorers.py", str(gold), "--predictions", str(predictions), "--json")
    scores = {s["field"]: s for s in json.loads(machine.stdout)}
    assert set(scores) == {"question", "apology"}
    assert scores["apology"]["kappa"] == 1.0
    assert scores["question"]["kappa"] < 1.0
