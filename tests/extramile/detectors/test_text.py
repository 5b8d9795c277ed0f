"""Text helpers: sentences, number words, facts and content words."""

from extramile.detectors.text import content_words, digits, fact_key, facts, split_sentences


def test_sentences_are_cut_on_punctuation_and_lines():
    assert split_sentences("Hi there. What happened?\nTell me") == ["Hi there.", "What happened?", "Tell me"]


def test_number_words_become_digits():
    assert digits("thirty-two pounds and a hundred and five") == "32 pounds and 105"
    assert digits("no one else") == "no one else"  # a lone "one" stays a word


def test_facts_compare_in_one_spelling():
    assert facts("It was thirty-two pounds on Monday") >= {"£32", "monday"}
    assert fact_key("£32") == fact_key("32")
    assert "£2300" in facts("£2,300.00")


def test_content_words_merge_synonyms_and_drop_stopwords():
    assert content_words("I was billed twice") == content_words("you charged me double")
    assert content_words("I want my money back") >= {"refund"}
    assert "the" not in content_words("the parcel")
