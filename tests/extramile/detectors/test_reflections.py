"""Reflections: echoes of the customer, which message, and invented facts.

Whether a message reflects is decided by the trained reflection model over the rules' signals;
these are clear cases any version of it must get right.
"""

import pytest

from extramile.detectors.reflections import ContextMessage
from extramile.detectors.text import digits, facts


@pytest.fixture(scope="module")
def detect_reflection(labeller):
    return lambda text, context: labeller.label_message(text, context).reflection


BILLING = [
    ContextMessage("agent", "Hello, how can I help?"),
    ContextMessage("customer", "I've been billed twice for my broadband this month and I'm really annoyed."),
]


def test_stemmed_reflection_with_synonyms_points_at_the_customer_message(detect_reflection) -> None:
    result = detect_reflection("So what I'm hearing is you were charged two times and you're upset.", BILLING)
    assert result.detection.label == "reflection"
    assert result.restates == 1
    assert "charge" in result.shared_words


def test_reordered_reflection_without_a_stem(detect_reflection) -> None:
    result = detect_reflection("Your broadband was charged twice this month, which has annoyed you.", BILLING)
    assert result.detection.label == "reflection"


def test_feelings_reflection_in_second_person(detect_reflection) -> None:
    context = [ContextMessage("customer", "These new tablets make me so tired all day.")]
    result = detect_reflection("You're worried the tablets make you tired.", context)
    assert result.detection.label == "reflection"
    assert not result.invented


def test_generic_acknowledgements_are_not_reflections(detect_reflection) -> None:
    for text in ("I understand.", "I see", "Got it."):
        assert detect_reflection(text, BILLING).detection.label == "none"


def test_a_question_or_promise_is_not_a_reflection(detect_reflection) -> None:
    assert detect_reflection("Can you confirm your account number?", BILLING).detection.label == "none"
    assert detect_reflection("I'll send you a new router tomorrow.", BILLING).detection.label == "none"


def test_invented_amount_and_day_are_flagged(detect_reflection) -> None:
    result = detect_reflection("So you were billed twice, £40, on Monday.", BILLING)
    assert result.detection.label == "reflection"
    assert result.invented
    assert {"£40", "monday"} <= set(result.invented)


def test_reflects_the_older_customer_message_when_that_is_what_is_echoed(detect_reflection) -> None:
    context = [
        ContextMessage("customer", "My parcel is three weeks late."),
        ContextMessage("agent", "Let me look."),
        ContextMessage("customer", "ok"),
    ]
    result = detect_reflection("It sounds like the parcel is very delayed.", context)
    assert result.detection.label == "reflection"
    assert result.restates == 0


def test_no_one_is_not_an_invented_number(detect_reflection) -> None:
    context = [
        ContextMessage("customer", "My internet has been down for days and nobody has called me back.")
    ]
    result = detect_reflection("So your broadband has been down for days and no one rang you back.", context)
    assert result.detection.label == "reflection"
    assert not result.invented


def test_number_words_and_digits_are_the_same_fact(detect_reflection) -> None:
    context = [ContextMessage("customer", "They took £32 out of my account without asking.")]
    result = detect_reflection("So you were charged thirty-two pounds without being asked.", context)
    assert result.detection.label == "reflection"
    assert not result.invented


def test_currency_spellings_are_the_same_amount(detect_reflection) -> None:
    context = [ContextMessage("customer", "I paid 32 pounds for delivery and it never came.")]
    result = detect_reflection("So you paid £32.00 for delivery and it never arrived.", context)
    assert result.detection.label == "reflection"
    assert not result.invented


def test_a_different_amount_in_words_is_still_invented(detect_reflection) -> None:
    context = [ContextMessage("customer", "They took £32 out of my account without asking.")]
    result = detect_reflection("So you were charged forty pounds without being asked.", context)
    assert result.invented == ("£40",)


def test_digits_spells_numbers_the_same_way() -> None:
    assert digits("twenty-one days") == "21 days"
    assert digits("a hundred quid") == "100 quid"
    assert digits("two hundred and fifty") == "250"
    assert digits("one thousand two hundred") == "1200"
    # A lone "one" is usually a pronoun; "twice" is "2 times".
    assert digits("no one rang, the other one did") == "no one rang, the other one did"
    assert facts("charged twice, £84.60 and 14.5 per cent") == {"2", "£84.60", "14.5%"}
    assert facts("it went out two times") == facts("it went out twice")
    assert facts("£2,300.00") == facts("2300 pounds") == {"£2300"}


def test_a_checking_question_made_of_the_customers_words_is_a_reflection(detect_reflection) -> None:
    context = [ContextMessage("customer", "My router has dropped out every night for two weeks.")]
    assert detect_reflection("Every night for two weeks?", context).detection.label == "reflection"
    assert detect_reflection("So it drops out every night?", context).detection.label == "reflection"


def test_repeating_a_word_or_two_is_a_reflection(detect_reflection) -> None:
    context = [ContextMessage("customer", "It's the third router they've sent me.")]
    assert detect_reflection("The third router?", context).detection.label == "reflection"
    assert detect_reflection("Really?", context).detection.label == "none"


def test_naming_the_customers_feeling_is_a_reflection(detect_reflection) -> None:
    context = [ContextMessage("customer", "I've rung four times this week and nobody gets back to me.")]
    assert detect_reflection("You sound really fed up with it.", context).detection.label == "reflection"


def test_a_question_after_a_lead_in_clause_is_not_a_reflection(detect_reflection) -> None:
    result = detect_reflection("So, about the broadband bill, did you get a letter from us?", BILLING)
    assert result.detection.label == "none"


def test_an_apology_that_restates_the_problem_is_a_reflection(detect_reflection) -> None:
    result = detect_reflection("I'm so sorry you've been billed twice for your broadband.", BILLING)
    assert result.detection.label == "reflection" and not result.invented
    assert detect_reflection("I'm so sorry about that.", BILLING).detection.label == "none"


def test_only_the_restating_clause_is_checked_for_invented_details(detect_reflection) -> None:
    context = [
        ContextMessage("customer", "From April my bill went from £28.00 to £32.06 and I had no letter.")
    ]
    said = (
        "So your bill went up in April and you had no letter about it. Let me explain: the rise "
        "was CPI plus 3.9%, which our terms allow once a year."
    )
    result = detect_reflection(said, context)
    assert result.detection.label == "reflection" and result.invented == ()


def test_a_figure_worked_out_from_the_customers_is_not_invented(detect_reflection) -> None:
    context = [ContextMessage("customer", "It was £32 last month and now it's £58.")]
    result = detect_reflection("So it's gone from £32 to £58, which is £26 more.", context)
    assert result.detection.label == "reflection" and result.invented == ()
    wrong = detect_reflection("So it's gone from £32 to £85.", context)
    assert wrong.invented == ("£85",)


def test_correcting_or_informing_the_customer_is_not_a_reflection(detect_reflection) -> None:
    for text in (
        "No, your broadband was only billed once this month.",
        "Broadband bills usually take a few days to update, it's in the terms.",
        "Refunds can take up to ten days to reach your account.",
    ):
        assert detect_reflection(text, BILLING).detection.label == "none", text


def test_a_summary_draws_on_the_last_few_customer_messages(detect_reflection) -> None:
    context = [
        ContextMessage("customer", "My router keeps dropping out."),
        ContextMessage("agent", "Oh no."),
        ContextMessage("customer", "And the engineer never turned up on Tuesday."),
    ]
    result = detect_reflection("So the router drops out and the engineer didn't turn up.", context)
    assert result.detection.label == "reflection"
    assert {"router", "engineer"} <= set(result.shared_words)
