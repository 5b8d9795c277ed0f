"""Reflections: echoes of the customer, which message, and invented facts."""

from actions.skills.reflections import ContextMessage, detect_reflection

BILLING = [
    ContextMessage("agent", "Hello, how can I help?"),
    ContextMessage("customer", "I've been billed twice for my broadband this month and I'm really annoyed."),
]


def test_stemmed_reflection_with_synonyms_points_at_the_customer_message() -> None:
    result = detect_reflection("So what I'm hearing is you were charged two times and you're upset.", BILLING)
    assert result.detection.label == "reflection"
    assert result.customer_index == 1
    assert "charge" in result.shared_words


def test_reordered_reflection_without_a_stem() -> None:
    result = detect_reflection("Your broadband was charged twice this month, which has annoyed you.", BILLING)
    assert result.detection.label == "reflection"


def test_feelings_reflection_in_second_person() -> None:
    context = [ContextMessage("customer", "These new tablets make me so tired all day.")]
    result = detect_reflection("You're worried the tablets make you tired.", context)
    assert result.detection.label == "reflection"
    assert result.faithful


def test_generic_acknowledgements_are_not_reflections() -> None:
    for text in ("I understand.", "I see", "Got it."):
        assert detect_reflection(text, BILLING).detection.label == "none"


def test_a_question_or_promise_is_not_a_reflection() -> None:
    assert detect_reflection("Can you confirm your account number?", BILLING).detection.label == "none"
    assert detect_reflection("I'll send you a new router tomorrow.", BILLING).detection.label == "none"


def test_invented_amount_and_day_are_flagged() -> None:
    result = detect_reflection("So you were billed twice, £40, on Monday.", BILLING)
    assert result.detection.label == "reflection"
    assert not result.faithful
    assert {"£40", "monday"} <= set(result.invented)


def test_reflects_the_older_customer_message_when_that_is_what_is_echoed() -> None:
    context = [
        ContextMessage("customer", "My parcel is three weeks late."),
        ContextMessage("agent", "Let me look."),
        ContextMessage("customer", "ok"),
    ]
    result = detect_reflection("It sounds like the parcel is very delayed.", context)
    assert result.detection.label == "reflection"
    assert result.customer_index == 0


def test_no_one_is_not_an_invented_number() -> None:
    context = [
        ContextMessage("customer", "My internet has been down for days and nobody has called me back.")
    ]
    result = detect_reflection("So your broadband has been down for days and no one rang you back.", context)
    assert result.detection.label == "reflection"
    assert result.faithful
