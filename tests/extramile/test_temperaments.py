"""The temperament model: one set of predicates, read by the customer's mood and the scorecard."""

import pytest

from extramile.temperaments import (
    LONG_MESSAGE_WORDS,
    PROFILES,
    Reading,
    expectations,
    is_curt,
    is_specific,
    mood_change,
)
from extramile.vocab import AGENT_ACTS, TEMPERAMENTS


def reading(text, *acts, question="none"):
    return Reading(text, frozenset(acts), question)


def checks(temperament, *readings):
    return {c.kind: c for c in expectations(temperament, list(readings))}


def test_every_temperament_has_a_complete_profile():
    assert set(PROFILES) == set(TEMPERAMENTS)
    for profile in PROFILES.values():
        assert set(profile.mood_effects) == set(AGENT_ACTS), profile.temperament


def test_a_reason_pleases_an_analytical_customer_and_counts_as_specific_on_the_scorecard():
    said = reading("As a result the price rose.", "explain")
    assert is_specific(said)
    change = mood_change("analytical", {}, said, 1, False)
    assert "specifics given (+4)" in change.reasons
    card = checks("analytical", said)
    assert card["specifics"].passed and card["specifics"].points == 60


def test_a_short_apology_is_warm_for_an_expressive_customer_on_both_sides():
    said = reading("I'm so sorry.", "apologize")
    assert not is_curt(said)
    change = mood_change("expressive", {}, said, 1, False)
    assert not any("curt" in r for r in change.reasons)
    card = checks("expressive", said)
    assert card["no_curt_replies"].passed and card["warmth"].points == 60


def test_a_curt_cold_reply_costs_mood_and_fails_the_expectation():
    said = reading("Order number?", "ask_closed_question", question="closed")
    assert is_curt(said)
    assert any("curt" in r for r in mood_change("expressive", {}, said, 1, False).reasons)
    card = checks("expressive", said)
    assert "curt_reply" in card and card["curt_reply"].evidence == 0 and card["curt_reply"].points == 0


def test_aggressive_long_messages_and_piled_questions_on_both_sides():
    long = reading(" ".join(["word"] * (LONG_MESSAGE_WORDS + 1)) + "?", "ask_open_question")
    piled = reading("What happened? When? Why?", "ask_open_question", question="open")
    change = mood_change("aggressive", {}, long, 1, False)
    assert "long message (-5)" in change.reasons
    assert "several questions at once (-3)" in mood_change("aggressive", {}, piled, 1, False).reasons
    card = checks("aggressive", long, piled)
    assert card["long_message"].evidence == 0 and card["several_questions"].evidence == 1
    assert card["solution_late"].points == 0


def test_aggressive_wants_a_solution_within_four_messages():
    waiting = reading("Let me look.", "explain")
    assert "still no solution (-4)" in mood_change("aggressive", {}, waiting, 4, False).reasons
    assert not any("still no solution" in r for r in mood_change("aggressive", {}, waiting, 3, False).reasons)
    fix = reading("I've refunded it.", "offer_solution")
    card = checks("aggressive", waiting, waiting, fix)
    assert card["solution_soon"].passed and card["solution_soon"].evidence == 2
    assert "solution_late" in checks("aggressive", waiting, waiting, waiting, waiting, fix)


def test_passive_closed_question_strings_cost_mood_and_the_interrogation_check():
    string = reading("Is it your account? Did you pay?", "ask_closed_question", question="closed")
    assert "a string of closed questions (-2)" in mood_change("passive", {}, string, 1, False).reasons
    card = checks("passive", string)
    assert "interrogation" in card and "few_open_questions" in card
    gentle = reading("What happened? Take your time.", "ask_open_question", question="open")
    card = checks("passive", gentle)
    assert card["gentle_open_questions"].passed and card["reassurance"].passed
    assert card["no_interrogation"].passed


def test_a_persona_can_override_an_acts_mood_effect():
    said = reading("Sorry.", "apologize")
    assert mood_change("aggressive", {"apologize": 10}, said, 1, False).delta == 10


@pytest.mark.parametrize("temperament", TEMPERAMENTS)
def test_expectations_are_worth_100_when_all_are_met(temperament):
    best = {
        "aggressive": [reading("Sorry. I've refunded the £26 today.", "apologize", "offer_solution")],
        "expressive": [reading("I'm so sorry, that sounds really stressful for you.", "empathize")],
        "passive": [
            reading("Don't worry. What happened?", "empathize", "ask_open_question", question="open")
        ],
        "analytical": [reading("The bill rose 14% because the tariff changed.", "explain")],
    }[temperament]
    assert sum(c.points for c in expectations(temperament, best)) == 100
    assert expectations(temperament, []) == []


def test_a_formal_apology_or_a_bare_greeting_is_not_warmth_but_sorry_is():
    formal = expectations("expressive", [reading("Hello. Apologies for that.", "greet", "apologize")])
    assert formal[0].kind == "no_warmth"
    sorry = expectations("expressive", [reading("Hello, so sorry about that!", "greet", "apologize")])
    assert sorry[0].kind == "warmth"


def test_questions_strung_into_one_sentence_are_several():
    strung = "Could you tell me what you paid before, what you pay now, and when it changed?"
    checks = expectations("aggressive", [reading(strung, "ask_open_question", question="open")])
    assert "several_questions" in {c.kind for c in checks}
    one = expectations("aggressive", [reading("Could you tell me what happened?", question="open")])
    assert "one_question_at_a_time" in {c.kind for c in one}


def test_every_message_that_breaks_an_expectation_is_named():
    long = "word " * (LONG_MESSAGE_WORDS + 5)
    said = [reading(long), reading("Fine."), reading(long)]
    broken = [c.evidence for c in expectations("aggressive", said) if c.kind == "long_message"]
    assert broken == [0, 2]


def test_a_hedged_explanation_explains_nothing_to_an_analytical_customer():
    vague = reading("It's probably just a system thing, it should come down.", "explain")
    checks = {c.kind for c in expectations("analytical", [vague])}
    assert {"no_explanation", "no_specifics"} <= checks
    clear = reading("The bill used an estimate of 19,010 kWh because your reading was not loaded.", "explain")
    assert {"explained", "specifics"} <= {c.kind for c in expectations("analytical", [clear])}
