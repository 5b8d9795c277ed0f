"""Persona files: every shipped persona is valid, and bad files are reported by file, line, field."""

import os
from pathlib import Path

import pytest

from extramile.cli.validate_personas import main as validate_main
from extramile.files import FileError
from extramile.personas import PersonaCatalogue, load_personas, parse_persona, persona_files
from extramile.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "personas" / "bill-shock-aggressive.yml"


def test_shipped_personas_cover_every_temperament_twice(personas):
    assert len(personas) >= 8
    temperaments = [p.persona.temperament for p in personas.values()]
    for temperament in ("aggressive", "expressive", "passive", "analytical"):
        assert temperaments.count(temperament) >= 2, temperament


def _problems(text: str, name: str = "bill-shock-aggressive.yml"):
    with pytest.raises(FileError) as caught:
        parse_persona(text, Path("personas") / name)
    return caught.value.problems


def test_wrong_value_names_line_and_field():
    text = EXAMPLE.read_text().replace("temperament: aggressive", "temperament: grumpy")
    [problem] = _problems(text)
    line = text.splitlines().index("temperament: grumpy") + 1
    assert (problem.line, problem.field) == (line, "temperament")
    assert "aggressive" in problem.message  # says what is allowed
    assert str(problem).startswith(f"personas/bill-shock-aggressive.yml:{line}: temperament:")


def test_misspelt_nested_field_is_reported_at_its_line():
    text = EXAMPLE.read_text().replace("    min_mood: 25", "    min_mod: 25")
    problems = _problems(text)
    line = text.splitlines().index("    min_mod: 25") + 1
    assert any(p.field == "scenario.resolution.min_mod" and p.line == line for p in problems)


def test_missing_field_points_at_its_parent():
    text = EXAMPLE.read_text().replace("  title: A bill that jumped without warning\n", "")
    [problem] = _problems(text)
    assert problem.field == "scenario.title"
    assert problem.line == text.splitlines().index("scenario:") + 1
    assert "required" in problem.message


def test_unknown_act_in_a_fact_is_named():
    text = EXAMPLE.read_text().replace("revealed_by: [ask_open_question]", "revealed_by: [ask_nicely]")
    problems = _problems(text)
    assert any(p.field.startswith("scenario.facts[2].revealed_by") for p in problems)


def test_resolution_must_name_existing_facts():
    text = EXAMPLE.read_text().replace("[amount, discount_ended]", "[amount, refund]")
    [problem] = _problems(text)
    assert "refund" in problem.message and problem.field == "scenario"


def test_broken_yaml_gives_its_line():
    text = EXAMPLE.read_text().replace("name: Dave Morgan", "name: [Dave")
    [problem] = _problems(text)
    assert problem.line is not None and "not valid YAML" in problem.message


def test_id_must_match_file_name():
    [problem] = _problems(EXAMPLE.read_text(), name="someone-else.yml")
    assert problem.field == "id" and "someone-else.yml" in problem.message


def test_empty_reply_is_rejected():
    text = EXAMPLE.read_text().replace('    - "Let me finish!"', '    - "  "')
    problems = _problems(text)
    line = text.splitlines().index('    - "  "') + 1
    assert any(p.field.startswith("situations.interrupted[") and p.line == line for p in problems)


def test_one_bad_file_does_not_hide_the_good_ones(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text("id: broken\nname: X\n")
    personas, problems = load_personas([EXAMPLE, bad])
    assert list(personas) == ["bill-shock-aggressive"]
    assert problems and all(p.path == bad for p in problems)


def test_validate_script_exit_codes(tmp_path, capsys):
    assert validate_main([str(p) for p in persona_files(EXAMPLE.parent)]) == 0
    bad = tmp_path / "broken.yml"
    bad.write_text(EXAMPLE.read_text().replace("difficulty: medium", "difficulty: 7"))
    assert validate_main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "difficulty" in err


@pytest.mark.parametrize("written", ['"Okay."', '"Okay, go on."', "Okay"])
def test_a_reply_list_written_as_one_string_is_an_error_that_shows_the_list(written):
    # Read as a list of characters it once made the customer say "O"; guessing is no better.
    text = EXAMPLE.read_text().replace('    high: ["Okay."]', f"    high: {written}")
    assert text != EXAMPLE.read_text()
    [problem] = _problems(text)
    assert problem.field == "replies.ask_open_question.high"
    assert problem.line == text.splitlines().index(f"    high: {written}") + 1
    assert 'write it as a list: - "Okay' in problem.message


@pytest.mark.parametrize(
    "field, old, new",
    [
        (
            "situations.nudge",
            '  nudge:\n    - "So what are you going to do about it?"\n'
            '    - "I\'m still waiting for an answer."\n',
            "  nudge: []\n",
        ),
        ("replies.greet.low", '    low: ["Yeah, hi. Can we get on with it?"]', "    low: []"),
        (
            "opening",
            'opening:\n  - ["Why has my bill nearly doubled?", "I want an answer, not a script."]\n'
            '  - ["My bill\'s gone through the roof.", "Sort it out."]\n',
            "opening: []\n",
        ),
    ],
)
def test_an_empty_reply_list_is_an_error_at_its_line(field, old, new):
    original = EXAMPLE.read_text()
    text = original.replace(old, new)
    assert text != original
    problems = _problems(text)
    [problem] = [p for p in problems if p.field == field]
    assert problem.line == text.splitlines().index(new.rstrip("\n").splitlines()[0]) + 1
    assert "at least one reply" in problem.message


def test_a_reply_that_is_not_text_is_named():
    text = EXAMPLE.read_text().replace('    mid: ["Go on."]', "    mid: [42]")
    [problem] = _problems(text)
    assert problem.field == "replies.offer_solution.mid[0]" and "42" in problem.message


def test_the_catalogue_parses_again_only_when_a_file_changes(tmp_path):
    copy = tmp_path / EXAMPLE.name
    copy.write_text(EXAMPLE.read_text())
    catalogue = PersonaCatalogue(tmp_path)
    first = catalogue.personas()["bill-shock-aggressive"]
    assert catalogue.personas()["bill-shock-aggressive"] is first  # not parsed again
    copy.write_text(EXAMPLE.read_text().replace("name: Dave Morgan", "name: Dave Morgen"))
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))
    changed = catalogue.personas()["bill-shock-aggressive"]
    assert changed.persona.name == "Dave Morgen"
    # The version a session played stays playable after the file changed.
    assert catalogue.version("bill-shock-aggressive", first.content).persona.name == "Dave Morgan"


def test_a_blank_topic_or_cover_is_named_at_its_field():
    text = EXAMPLE.read_text().replace(
        "      - kind: refund\n        at_least: 26\n",
        "      - kind: refund\n        at_least: 26\n        covers: ['  ']\n",
    )
    problems = _problems(text)
    assert any(
        p.field == "scenario.resolution.fixes[1].covers[0]" and "some words" in p.message for p in problems
    )
