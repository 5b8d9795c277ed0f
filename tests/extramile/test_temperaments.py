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
