"""Persona files can never hurt the servers: a bad file, however bad, is one FileProblem list that
names file, line and field, disables only itself, and costs little time and memory."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extramile.cli.validate_personas import main as validate_main
from extramile.files import MAX_FILE_BYTES, FileError
from extramile.personas import (
    LoadedPersona,
    PersonaCatalogue,
    load_persona_file,
    load_personas,
    parse_persona,
    persona_files,
)
from extramile.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "personas"
EXAMPLE = SHIPPED / "bill-shock-aggressive.yml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)


def _edited(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


def _opening_of(alternatives: int) -> str:
    """The example with `alternatives` short opening lines instead of its own two."""
    head, tail = TEXT.split("opening:\n", 1)
    lines = "".join(f'  - "Line {i:07d}"\n' for i in range(alternatives))
    return head + "opening:\n" + lines + tail[tail.index("replies:") :]


def _file_of_size(size: int) -> str:
    """A valid persona of `size` bytes: as many opening lines as fit."""
    base = len(_opening_of(0).encode())
    text = _opening_of((size - base) // 20)  # each line is 20 bytes
    return text + "#" * (size - len(text.encode()) - 1) + "\n"


# Each bad file: its bytes, and the start of the line, the field and the words of its first problem.
BAD_FILES: dict[str, tuple[bytes, str | None, str, str]] = {
    "duplicate key": (
        _edited("name: Dave Morgan\n", "name: Dave Morgan\nname: Someone Else\n").encode(),
        "name: Someone",
        "name",
        "'name' is written twice",
    ),
    # A 1 KB reply named a million times: 14 KB of file, over a gigabyte once expanded.
    "alias bomb": (
        _edited(
            '    low: ["Yeah, hi. Can we get on with it?"]\n    mid: ["Hi. Look, I just want this fixed."]\n',
            f'    low: [&pad "{" " * 500}Hi.{" " * 500}"]\n'
            f"    mid: &row [{', '.join(['*pad'] * 1000)}]\n"
            f"    high: [{', '.join(['*row'] * 1000)}]\n",
        ).encode(),
        "    mid: &row",
        "replies.greet.mid[20]",
        "more than 20 aliases",
    ),
    "deep nesting": (
        _edited('    high: ["Okay."]', "    high: " + "[" * 20_000).encode(),
        "    high: [[[",
        "(file)",
        "nested more than 20",
    ),
    "not UTF-8": (
        TEXT.encode("utf-8").replace("£".encode(), "£".encode("latin-1")),
        "    Dave's broadband bill went from",
        "(file)",
        "must be UTF-8 text",
    ),
    "number in a reply list": (
        _edited('  - ["My bill\'s gone through the roof.", "Sort it out."]', "  - [1, 2]").encode(),
        "  - [1, 2]",
        "opening[1][0]",
        'put it in quotes: - "1"',
    ),
    "mapping in a reply list": (
        _edited('    - "Let me finish!"', "    - Look: I just want this fixed.").encode(),
        "    - Look:",
        "situations.interrupted[0]",
        'put it in quotes: - "Look: I just want this fixed."',
    ),
    "list nested too deep in a reply list": (
        _edited('    mid: ["Go on."]', '    mid: [[["Go on."]]]').encode(),
        "    mid: [[[",
        "replies.offer_solution.mid[0][0]",
        "one level of [...] too many",
    ),
    "string where a list is expected": (
        _edited(
            'opening:\n  - ["Why has my bill nearly doubled?", "I want an answer, not a script."]\n'
            '  - ["My bill\'s gone through the roof.", "Sort it out."]\n',
            'opening: "Hello?"\n',
        ).encode(),
        "opening:",
        "opening",
        'write it as a list: - "Hello?"',
    ),
    "float where a whole number is expected": (
        _edited("  start: 30\n", "  start: 30.7\n").encode(),
        "  start: 30.7",
        "mood.start",
        "whole number",
    ),
    "over the size limit": (
        _file_of_size(MAX_FILE_BYTES + 1).encode(),
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


@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_kind_of_bad_file_is_one_problem_at_its_line(tmp_path, kind):
    content, starts, field, words = BAD_FILES[kind]
    path = tmp_path / EXAMPLE.name
    path.write_bytes(content)
    with pytest.raises(FileError) as caught:
        load_persona_file(path)
    problem = caught.value.problems[0]
    assert all(p.path == path for p in caught.value.problems)
    assert (problem.line, problem.field) == (_line_starting(content, starts), field), problem
    assert words in problem.message, problem


@pytest.mark.parametrize("kind", BAD_FILES)
def test_the_validator_reports_each_bad_file_without_a_traceback(tmp_path, capsys, kind):
    path = tmp_path / EXAMPLE.name
    path.write_bytes(BAD_FILES[kind][0])
    assert validate_main([str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.startswith(f"{path}") and BAD_FILES[kind][3] in err
    assert "0 valid persona(s), 1 invalid file(s)." in out


def test_a_folder_with_one_bad_file_loses_only_that_one(tmp_path):
    for path in persona_files(SHIPPED):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "not-utf8.yml").write_bytes(BAD_FILES["not UTF-8"][0])
    catalogue = PersonaCatalogue(tmp_path)
    assert set(catalogue.personas()) == {p.stem for p in persona_files(SHIPPED)}
    [problem] = catalogue.problems()
    line = _line_starting(BAD_FILES["not UTF-8"][0], "    Dave's broadband bill went from")
    assert (problem.file, problem.line, problem.field) == (str(tmp_path / "not-utf8.yml"), line, "(file)")
    assert "the file must be UTF-8 text" in problem.message


def test_a_folder_with_every_kind_of_bad_file_keeps_the_good_ones(tmp_path):
    for path in persona_files(SHIPPED):
        shutil.copy(path, tmp_path / path.name)
    for i, (content, *_rest) in enumerate(BAD_FILES.values()):
        (tmp_path / f"bad-{i}.yml").write_bytes(content)
    catalogue = PersonaCatalogue(tmp_path)
    assert set(catalogue.personas()) == {p.stem for p in persona_files(SHIPPED)}
    assert {p.path.name for p in catalogue.problems()} == {f"bad-{i}.yml" for i in range(len(BAD_FILES))}
    assert all(p.field and p.message for p in catalogue.problems())


def test_any_error_while_loading_a_file_is_its_problem_not_the_callers(tmp_path, monkeypatch):
    good, odd = tmp_path / EXAMPLE.name, tmp_path / "odd.yml"
    good.write_text(TEXT)
    odd.write_text(TEXT)
    real = parse_persona

    def parse(content: str, path: Path) -> LoadedPersona:
        if path == odd:
            raise RecursionError("maximum recursion depth exceeded")
        return real(content, path)

    monkeypatch.setattr("extramile.personas.catalogue.parse_persona", parse)
    personas, problems = load_personas([odd, good])
    assert list(personas) == ["bill-shock-aggressive"]
    [problem] = problems
    assert (
        problem.path == odd
        and problem.message == "cannot be loaded: RecursionError: maximum recursion depth exceeded"
    )


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 20_000,
        BAD_FILES["alias bomb"][0],
        _file_of_size(MAX_FILE_BYTES).encode(),
    ],
    ids=["20,000 [", "1000 x 1000 alias bomb", "valid 256 KB"],
)
def test_the_worst_files_cost_little_time_and_memory(tmp_path, content):
    path = tmp_path / EXAMPLE.name
    path.write_bytes(content)

    def load() -> LoadedPersona | FileError:
        try:
            return load_persona_file(path)
        except FileError as error:
            return error

    start = time.perf_counter()
    loaded = load()
    seconds = time.perf_counter() - start
    tracemalloc.start()  # measured apart: tracing doubles the time
    load()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The valid 256 KB file is the most a persona can cost: 16,000 values (0.6 s, 12 MB here).
    assert seconds < (1.0 if len(content) < 50_000 else 3.0) and peak < 50 * 2**20, (seconds, peak)
    assert isinstance(loaded, LoadedPersona) == (len(content) == MAX_FILE_BYTES)


# Property tests: whatever the file holds, a LoadedPersona or a FileError, and quickly.

_YAMLISH = st.sampled_from(list("[]{}:,-&*!|>'\"#%@`?\n\t ") + ["  ", "\n  ", "- ", ": ", "*a", "&a "])
_JUNK = st.one_of(
    st.text(st.characters() | st.characters(categories=["Cs"]), max_size=200),
    st.lists(_YAMLISH | st.text(max_size=5), max_size=100).map("".join),
)


@settings(deadline=2000, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        _JUNK,
        # The example with junk put in, or a piece cut out, somewhere.
        st.builds(lambda at, junk: TEXT[:at] + junk + TEXT[at:], st.integers(0, len(TEXT)), _JUNK),
        st.builds(lambda at, n: TEXT[:at] + TEXT[at + n :], st.integers(0, len(TEXT)), st.integers(1, 200)),
        # Long texts: a piece repeated, up to 100,000 characters.
        st.builds(lambda piece, times: (piece * times)[:100_000], _JUNK.filter(bool), st.integers(1, 5000)),
    )
)
def test_any_text_is_a_persona_or_file_problems(text):
    _parsed_or_problems(text)


def _parsed_or_problems(text: str) -> None:
    try:
        loaded = parse_persona(text, EXAMPLE)
    except FileError as error:
        assert error.problems and all(p.path == EXAMPLE and p.field and p.message for p in error.problems)
    else:
        assert isinstance(loaded, LoadedPersona)


@settings(deadline=2000, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=3000)
    | st.builds(lambda at, junk: TEXT.encode()[:at] + junk, st.integers(0, len(TEXT)), st.binary(max_size=50))
)
def test_any_bytes_are_a_persona_or_file_problems(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("bytes") / EXAMPLE.name
    path.write_bytes(content)
    try:
        load_persona_file(path)
    except FileError as error:
        assert error.problems and all(p.path == path for p in error.problems)


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_STRUCTURES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
)


def _deep(depth: int) -> Any:
    value: Any = "Okay."
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _fields(data: Any, place: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the persona's data: mapping keys and list positions."""
    places = [place] if place else []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        places += _fields(value, (*place, key))
    return places


@settings(deadline=2000, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_fields(DATA)),
    _STRUCTURES | st.integers(0, 60).map(_deep),
    st.sampled_from([None, True, False]),
)
def test_any_structure_anywhere_in_a_persona_is_a_persona_or_file_problems(place, value, flow):
    data = yaml.safe_load(TEXT)
    parent = data
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = value
    _parsed_or_problems(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))
