"""The scorecard model: its JSON form, scorecards stored before versions, comparing two cards."""

from extramile.scoring import EvidenceVersions, Scorecard, SkillEvent, SkillResult, compare
from extramile.vocab import SKILLS

VERSIONS = EvidenceVersions(rubric="r", scorer="s", detectors="d", detector_models="a")


def card(points=10.0, versions=VERSIONS):
    skills = {
        skill: SkillResult(score=None, weight=12.5, pass_mark=50, passed=None, events=[]) for skill in SKILLS
    }
    skills["listening"] = SkillResult(
        score=85.0,
        weight=12.5,
        pass_mark=60,
        passed=True,
        events=[
            SkillEvent(kind="interruption", message=3, quote="Hi", explanation="You cut in.", points=-15),
            SkillEvent(kind="closed_question", message=5, explanation="Closed.", points=0),
        ],
    )
    skills["open_questions"] = SkillResult(
        score=points,
        weight=12.5,
        pass_mark=50,
        passed=False,
        events=[SkillEvent(kind="open_question", message=5, explanation="Open.", points=points)],
    )
    return Scorecard(
        overall=50.0, passed=False, pass_mark=70, versions=versions, skills=skills, advice=["Listen."]
    )


def test_the_json_form_round_trips():
    stored = card().json_dict()
    assert Scorecard.parse_obj(stored) == card()
    assert stored["skills"]["listening"]["events"][0] == {
        "kind": "interruption",
        "message": 3,
        "quote": "Hi",
        "explanation": "You cut in.",
        "points": -15.0,
    }


def test_a_scorecard_stored_before_versions_is_read_with_its_rubric_hash():
    old = card().json_dict()
    del old["versions"]
    old["rubric_hash"] = "abc"
    for skill in old["skills"].values():
        for event in skill["events"]:
            event["turn"] = event.pop("message")
    parsed = Scorecard.parse_obj(old)
    assert parsed.versions.rubric == "abc" and parsed.versions.detectors == ""
    assert parsed.events_of("listening", "interruption")[0].message == 3


def test_hints_name_the_first_loss_then_a_closed_question():
    assert card().hint_for(3) == "You cut in."
    assert card().hint_for(5) == "Closed."
    assert card().hint_for(9) is None


def test_a_difference_with_the_same_versions_is_a_regression():
    same = compare(card(10), card(12))
    assert same.regression and same.changed == []
    assert any("open_questions" in line for line in same.differences)
    retrained = compare(card(10), card(12, VERSIONS.copy(update={"detector_models": "b"})))
    assert not retrained.regression and retrained.changed == ["detector_models"]
    assert compare(card(), card()).differences == []
