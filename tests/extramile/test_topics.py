"""What an agent's message is about: facts asked after, details, the unknowable, nonsense."""

from extramile.topics import asked_fact, asks_for_details, is_specific, is_unclear


def test_a_question_finds_the_fact_its_topics_name(personas):
    facts = personas["bill-shock-aggressive"].persona.scenario.facts
    assert asked_fact("Is there a TV add-on on there?", facts).id == "tv_addon"
    assert asked_fact("Hi Dave, I'm Sam. What's happened?", facts) is None


def test_details_are_an_identifier_asked_for_not_any_mention_of_email():
    assert asks_for_details("Can I take your account number please?")
    assert asks_for_details("What's your email address?")
    assert asks_for_details("What is your email?")
    assert not asks_for_details("Did you get a letter or an email telling you about this beforehand?")


def test_a_specific_question_asks_after_something_in_particular():
    assert is_specific("How many engineers are based at the depot?")
    assert not is_specific("What happened?")


def test_unclear_is_mashing_or_no_words_not_typos_or_figures():
    for nonsense in ("", "...", "x" * 60, "fjdkslqpwoeirutyzmxncbv", "qwpoeiru zmxnvb lkjsdf"):
        assert is_unclear(nonsense), nonsense
    for sense in ("ok", "£58?", "sry, wat happend?", "I recieved ur msg", "Walthamstow depot, Tuesday 8am"):
        assert not is_unclear(sense), sense
