"""rubric.yml is read with the same guarded loader as persona files: the same limits, the same
`file:line: field: message` problems, and the validator never prints a traceback."""

from __future__ import annotations

import time

import pytest

from extramile.cli.validate_rubric import main as validate_main
from extramile.files import MAX_FILE_BYTES, FileError
from extramile.scoring import load_rubric
from extramile.settings import PROJECT_ROOT

RUBRIC = PROJECT_ROOT / "rubric.yml"
TEXT = RUBRIC.read_text(encoding="utf-8")


def _edited(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


# Each bad rubric: its bytes, the start of the line of its problem, its field and its words.
BAD_RUBRICS: dict[str, tuple[bytes, str | None, str, str]] = {
    "duplicate key": (
        _edited("pass_mark: 70 ", "pass_mark: 70\npass_mark: 10 ").encode(),
        "pass_mark: 10",
        "pass_mark",
        "'pass_mark' is written twice",
    ),
    "alias bomb": (
        (
            TEXT
            + 'pad: &pad "'
            + "x" * 1000
            + '"\nrow: &row ['
            + ", ".join(["*pad"] * 1000)
            + "]\ngrid: ["
            + ", ".join(["*row"] * 1000)
            + "]\n"
        ).encode(),
        "row: &row",
        "row[20]",
        "more than 20 aliases",
    ),
    "deep nesting": (
        _edited("pass_mark: 70 ", "pass_mark: " + "[" * 20_000 + " ").encode(),
        "pass_mark: [[[",
        "(file)",
        "nested more than 20 levels deep",
    ),
    "not UTF-8": (
        _edited("pass_mark: 70 ", "pass_mark: 70 # £").encode().replace("£".encode(), b"\xa3"),
        "pass_mark: 70 #",
        "(file)",
        "the file must be UTF-8 text",
    ),
    "over the size limit": (
        (TEXT + "#" * MAX_FILE_BYTES + "\n").encode(),
        None,
        "(file)",
        "over the limit of 256 KB",
    ),
}


def _line_starting(content: bytes, starts: str | None) -> int | None:
    if starts is None:
        return None
    [line] = [i for i, text in enumerate(content.splitlines(), 1) if text.startswith(starts.encode())]
    return line


def test_the_shipped_rubric_loads():
    assert load_rubric(RUBRIC).pass_mark == 70


@pytest.mark.parametrize("kind", BAD_RUBRICS)
def test_a_bad_rubric_is_a_problem_at_its_line_quickly(tmp_path, kind):
    content, starts, field, words = BAD_RUBRICS[kind]
    path = tmp_path / "rubric.yml"
    path.write_bytes(content)
    start = time.perf_counter()
    with pytest.raises(FileError) as caught:
        load_rubric(path)
    assert time.perf_counter() - start < 1.0
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.field) == (path, _line_starting(content, starts), field)
    assert words in problem.message


@pytest.mark.parametrize("kind", BAD_RUBRICS)
def test_the_rubric_validator_reports_without_a_traceback(tmp_path, capsys, kind):
    path = tmp_path / "rubric.yml"
    path.write_bytes(BAD_RUBRICS[kind][0])
    assert validate_main([str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith(str(path)) and BAD_RUBRICS[kind][3] in err


def test_a_missing_rubric_is_one_line(tmp_path, capsys):
    assert validate_main([str(tmp_path / "gone.yml")]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"{tmp_path / 'gone.yml'}: (file): cannot be read: No such file or directory"
    )
