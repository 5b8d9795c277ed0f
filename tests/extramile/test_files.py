"""YAML files people edit: the guarded loader refuses what could hurt a server, names the place,
and otherwise reads exactly what PyYAML's SafeLoader reads."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extramile.files import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    MAX_VALUES,
    FileError,
    FileProblem,
    GuardedLoader,
    load_yaml,
    read_text,
)

WHERE = Path("people/edit.yml")

# A 14 KB file that names a 1 KB string a million times: expanded by whatever reads it, it cost
# over a gigabyte before the loader counted aliases.
ALIAS_BOMB = (
    'pad: &pad "' + "x" * 1000 + '"\n'
    "row: &row [" + ", ".join(["*pad"] * 1000) + "]\n"
    "grid: [" + ", ".join(["*row"] * 1000) + "]\n"
)


def _problems(text: str) -> list[FileProblem]:
    with pytest.raises(FileError) as caught:
        load_yaml(text, WHERE)
    return caught.value.problems


@contextmanager
def _measured() -> Iterator[Callable[[], tuple[float, int]]]:
    """Seconds taken and peak bytes allocated inside the block."""
    tracemalloc.start()
    start = time.perf_counter()
    result: list[tuple[float, int]] = []
    try:
        yield lambda: result[0]
    finally:
        result.append((time.perf_counter() - start, tracemalloc.get_traced_memory()[1]))
        tracemalloc.stop()


def test_the_loader_is_a_safe_loader_that_builds_no_python_objects():
    assert issubclass(GuardedLoader, yaml.SafeLoader)
    [problem] = _problems("run: !!python/object/apply:os.system ['true']\n")
    assert problem.line == 1 and "not valid YAML" in problem.message


def test_a_key_written_twice_names_the_key_and_the_line_of_the_second():
    [problem] = _problems("name: Dave\nmood:\n  start: 30\n  start: 40\nname: Someone Else\n")
    assert (problem.path, problem.line, problem.field) == (WHERE, 4, "mood.start")
    assert "'start' is written twice" in problem.message and "first at line 3" in problem.message
    [problem] = _problems("name: Dave\nname: Someone Else\n")
    assert (problem.line, problem.field) == (2, "name")
    assert str(problem).startswith("people/edit.yml:2: name: 'name' is written twice")


def test_keys_that_read_as_the_same_value_are_the_same_key():
    [problem] = _problems("1: a\n0x1: b\n")
    assert problem.line == 2


def test_the_same_key_in_different_mappings_and_merge_keys_are_fine():
    data, _root = load_yaml("a: {x: 1}\nb: {x: 2}\nbase: &b {y: 1}\nc:\n  <<: *b\n  y: 2\n", WHERE)
    assert data["c"] == {"y": 2}


def test_an_alias_bomb_stops_at_the_21st_alias_quickly_and_small():
    with _measured() as measured:
        [problem] = _problems(ALIAS_BOMB)
    seconds, peak = measured()
    assert (problem.line, problem.field) == (2, f"row[{MAX_ALIASES}]")
    assert f"more than {MAX_ALIASES} aliases" in problem.message and "write the text out" in problem.message
    assert seconds < 1.0 and peak < 50 * 2**20, (seconds, peak)


def test_aliases_within_the_limit_read_as_usual():
    text = "a: &a [1, 2]\n" + "".join(f"b{i}: *a\n" for i in range(MAX_ALIASES))
    data, _root = load_yaml(text, WHERE)
    assert data["b0"] == [1, 2] and len(data) == MAX_ALIASES + 1


def test_an_alias_counts_as_everything_it_repeats():
    # Twenty aliases that double a 100 KB string ten times would repeat it a thousand times.
    text = f'l0: &l0 ["{"y" * 100_000}"]\n' + "".join(
        f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]\n" for i in range(1, 11)
    )
    [problem] = _problems(text)
    assert f"more than {MAX_TEXT_CHARS:,} characters" in problem.message
    # 3,000 values named by seven aliases are 24,000: refused at the alias that passes 20,000.
    text = "l0: &l0 [" + ", ".join(["a"] * 3000) + "]\n" + "".join(f"l{i}: *l0\n" for i in range(1, 8))
    [problem] = _problems(text)
    assert f"more than {MAX_VALUES:,} values" in problem.message and problem.field == "l6"


def test_an_alias_inside_its_own_anchor_is_refused():
    [problem] = _problems("a: &a [1, *a]\n")
    assert (problem.line, problem.field) == (1, "a[1]") and "inside its own anchor" in problem.message


@pytest.mark.parametrize(
    "text",
    ["[" * 20_000, "{a: " * 20_000, "a:\n  b: [" + "{c: [" * 5_000],
    ids=["20,000 [", "20,000 {", "flow in block"],
)
def test_deep_flow_nesting_is_refused_quickly_without_a_recursion_error(text):
    with _measured() as measured:
        [problem] = _problems(text)
    seconds, peak = measured()
    assert f"nested more than {MAX_DEPTH} levels deep" in problem.message and problem.line is not None
    assert seconds < 1.0 and peak < 50 * 2**20, (seconds, peak)


def test_deep_block_nesting_is_refused_at_the_line_where_it_goes_too_deep():
    text = "".join(" " * level + "a:\n" for level in range(700))  # 240 KB
    with _measured() as measured:
        [problem] = _problems(text)
    seconds, _peak = measured()
    assert problem.line == MAX_DEPTH + 1 and problem.field == ".".join(["a"] * MAX_DEPTH)
    assert seconds < 1.0


def test_nesting_up_to_the_limit_is_fine():
    data, _root = load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, WHERE)
    for _level in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_too_many_values_are_refused_even_without_aliases():
    [problem] = _problems("many: [" + ",".join(["a"] * (MAX_VALUES + 1)) + "]\n")
    assert problem.field == f"many[{MAX_VALUES - 1}]" and "remove alternatives" in problem.message


def test_a_number_too_long_for_a_float_is_refused_at_its_line():
    [problem] = _problems("a: 1\nb: " + "9" * 400 + "\n")
    assert problem.line == 2 and "more than 100 digits" in problem.message


def test_a_value_pyyaml_lets_out_as_another_error_is_a_problem_at_its_line():
    [problem] = _problems("a: 1\nwhen: 2024-13-45\n")  # PyYAML raises ValueError: month must be in 1..12
    assert problem.line == 2 and "month" in problem.message


def test_a_control_character_is_named_by_its_line():
    [problem] = _problems("a: 1\nb: x\x00y\n")
    assert problem.line == 2 and "not valid YAML" in problem.message


def test_text_over_the_size_limit_is_refused_before_parsing():
    with _measured() as measured:
        [problem] = _problems("a: " + "x" * MAX_FILE_BYTES)
    assert measured()[0] < 0.5
    assert "over the limit of 256 KB" in problem.message and "shorten" in problem.message


def test_a_file_over_the_size_limit_is_refused_from_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "huge.yml"
    with huge.open("wb") as stream:
        stream.truncate(4 * 2**30)  # sparse: 4 GB that would take a while to read
    with _measured() as measured, pytest.raises(FileError) as caught:
        read_text(huge)
    seconds, peak = measured()
    [problem] = caught.value.problems
    assert problem.path == huge and problem.field == "(file)"
    assert problem.message.startswith("the file is 4,194,304 KB, over the limit of 256 KB (262,144 bytes)")
    assert "shorten the long texts or remove alternatives" in problem.message
    assert seconds < 0.5 and peak < 2**20


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n")
    assert len(read_text(path)) == MAX_FILE_BYTES


def test_bytes_that_are_not_utf8_are_named_by_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("name: Dave\nsituation: The bill went from £32 to £58.\n".encode("latin-1"))
    with pytest.raises(FileError) as caught:
        read_text(path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (path, 2)
    assert "the file must be UTF-8 text" in problem.message and "0xa3" in problem.message


def test_a_folder_or_a_missing_file_is_a_problem_not_an_error(tmp_path):
    for path, words in ((tmp_path, "not a regular file"), (tmp_path / "gone.yml", "cannot be read")):
        with pytest.raises(FileError) as caught:
            read_text(path)
        assert words in caught.value.problems[0].message


# Property tests: whatever the text, the loader gives data or FileError, and quickly.

_ANY_CHARACTER = st.characters() | st.characters(categories=["Cs"])  # surrogates too
_YAMLISH = st.sampled_from(list("[]{}:,-&*!|>'\"#%@`?\n\t ") + ["  ", "\n  ", "- ", ": ", "*a", "&a "])
_TEXTS = st.one_of(
    st.text(_ANY_CHARACTER, max_size=300),
    st.lists(_YAMLISH | st.text(max_size=5), max_size=200).map("".join),
    # Long texts: a short piece repeated, up to 100,000 characters.
    st.builds(
        lambda piece, times: (piece * times)[:100_000],
        st.lists(_YAMLISH | st.text(max_size=3), min_size=1, max_size=20).map("".join),
        st.integers(1, 5000),
    ),
)


@settings(deadline=2000, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_any_text_gives_data_or_file_problems(text):
    try:
        load_yaml(text, WHERE)
    except FileError as error:
        assert error.problems and all(p.path == WHERE and p.message for p in error.problems)


@settings(deadline=2000, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | _TEXTS.map(lambda t: t.encode("utf-8", errors="surrogatepass")))
def test_any_bytes_in_a_file_give_text_or_file_problems(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "any.yml"
    path.write_bytes(data)
    try:
        load_yaml(read_text(path), path)
    except FileError as error:
        assert error.problems and all(p.path == path for p in error.problems)


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)


def _nested(depth: int) -> st.SearchStrategy[Any]:
    """A structure exactly `depth` lists or mappings deep."""
    if depth == 0:
        return _SCALARS
    inner = _nested(depth - 1)
    return st.lists(inner, min_size=1, max_size=1) | st.dictionaries(
        st.text(max_size=5), inner, min_size=1, max_size=1
    )


_STRUCTURES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
) | st.integers(0, 3 * MAX_DEPTH).flatmap(_nested)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


def _has_long_number(value: Any) -> bool:
    if isinstance(value, list):
        return any(map(_has_long_number, value))
    if isinstance(value, dict):
        return any(map(_has_long_number, value.values()))
    return isinstance(value, int) and not isinstance(value, bool) and len(str(value)) > 100


@settings(deadline=2000, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_STRUCTURES, st.sampled_from([None, True, False]), st.booleans())
def test_any_structure_reads_back_as_safe_load_reads_it_or_is_refused_for_a_limit(value, flow, unicode):
    text = yaml.safe_dump({"field": value}, default_flow_style=flow, allow_unicode=unicode)
    if _depth(value) + 1 > MAX_DEPTH or _has_long_number(value):
        problems = _problems(text)
        assert any("nested more than" in p.message or "digits" in p.message for p in problems)
    elif len(text.encode()) <= MAX_FILE_BYTES:
        data, _root = load_yaml(text, WHERE)
        assert data == yaml.safe_load(text)
