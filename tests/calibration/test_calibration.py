"""The calibration suite: 40 whole conversations written by trainers (five per persona), scored
through the real NLU model, detectors and scorer, and compared with what the trainers expect.

Every strong and adequate agent passes, every weak one fails, each "fails-<skill>" conversation
fails that skill and only that skill, scores fall in the trainers' bands, the events they expect
are on the card and none they would strike is.
"""

import pytest

from extramile.calibration import check, load_cases
from extramile.cli.nlu import RasaActs
from extramile.settings import PROJECT_ROOT
from extramile.transcript_file import to_transcript

CASES = load_cases((PROJECT_ROOT / "tests" / "calibration").glob("*.json"))


@pytest.fixture(scope="session")
def read_acts(settings, trained_models):
    return RasaActs(settings.rasa_model)


def test_the_suite_has_five_cases_per_persona(personas):
    for persona in personas:
        kinds = sorted(c.kind for c in CASES if c.persona == persona)
        assert len(kinds) >= 5 and {"strong", "adequate", "weak", "fails"} <= set(kinds), persona


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_scorecard_agrees_with_the_trainers(case, personas, scorer, read_acts):
    transcript = to_transcript(case, personas[case.persona].persona, read_acts)
    card = scorer.score(transcript)
    result = check(case, card)
    assert result.agrees, "\n".join(result.problems)
