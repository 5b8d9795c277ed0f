"""The realism suite: for each persona, scripted exchanges played through the real action code
(the trained NLU model in this process, `action_customer_turn` on a Rasa tracker, the practice
service and a real SQLite log), with the kind of answer a trainer expects: the question asked
answered, the fact asked about revealed, a wrong detail corrected, a fob-off refused, the customer
staying to the close."""

import pytest

from extramile.cli.realism_report import run
from extramile.realism import load_scripts
from extramile.settings import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "realism"
SCRIPTS = load_scripts(FOLDER.glob("*.yml"))


@pytest.fixture(scope="module")
def results(settings, trained_models):
    return run(settings, FOLDER)


def test_every_persona_has_a_script(personas):
    assert {s.persona for s in SCRIPTS} == set(personas)


@pytest.mark.parametrize("persona", sorted({s.persona for s in SCRIPTS}))
def test_the_customer_answers_as_a_trainer_expects(results, persona):
    mine = [r for r in results if r.persona == persona]
    assert mine
    problems = [f"{r.exchange}: {r.text!r} -> {r.replied}: {r.problems}" for r in mine if r.problems]
    assert not problems, "\n".join(problems)
