"""The one reading of an agent message: the NLU's acts with the detectors' verdicts and the rules'
finds, as both the customer and the scorecard see it."""

from extramile.reading import gives_name, promised_time, read_acts


def reading(labeller, text, *nlu_acts, context=()):
    return read_acts(text, nlu_acts, labeller.label_message(text, list(context)))


def test_the_agents_name_in_any_common_introduction():
    for intro in (
        "Hi, I'm Sam.",
        "i’m sam, how can i help",
        "This is Sam from support.",
        "Sam here.",
        "Hello, Holly speaking.",
        "Hello, Ben at TechHub. Can I have your order number?",
    ):
        assert gives_name(intro), intro
    for not_intro in (
        "I'm sorry about that.",
        "I'm just checking.",
        "Hello Dave, I am sorry",
        "Hi there from TechHub!",
    ):
        assert not gives_name(not_intro), not_intro


def test_the_detectors_decide_questions_and_apologies_whatever_the_nlu_said(labeller):
    acts = reading(labeller, "I'm so sorry. What happened with the bill?", "thank")
    assert {"apologize", "ask_open_question", "thank"} <= acts


def test_a_message_of_only_wh_questions_neither_explains_nor_offers(labeller):
    acts = reading(
        labeller, "Which of our depots do the delivery vans come from?", "explain", "offer_solution"
    )
    assert acts == {"ask_closed_question"}
    offer = reading(labeller, "Shall I refund the £26 difference today?", "offer_solution")
    assert "offer_solution" in offer  # an offer put as a yes/no question is still an offer


def test_offers_without_a_fix_verb_are_found(labeller):
    for text in (
        "The best I can do is a £20 goodwill credit.",
        "What I can do is waive the fee.",
        "How about a £10 voucher?",
    ):
        assert "offer_solution" in reading(labeller, text), text


def test_anything_else_is_a_question_not_a_goodbye(labeller):
    acts = reading(labeller, "Is there anything else I can help with?", "goodbye")
    assert "goodbye" not in acts and "ask_closed_question" in acts


def test_a_promise_takes_its_time_from_the_promising_sentence():
    when = promised_time("Your engineer missed Monday. I'll ring you tomorrow at 10am.")
    assert when is not None and when.startswith("tomorrow")  # not the Monday of the problem
