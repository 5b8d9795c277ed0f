"""The vocabulary's helpers: intents into acts, client commands, complete tables."""

import pytest

from extramile.vocab import SKILLS, client_command, complete, split_intent


def test_intents_split_into_acts_and_unknown_names_are_errors():
    assert split_intent("apologize+ask_open_question") == ("apologize", "ask_open_question")
    assert split_intent("start_session") == ()
    with pytest.raises(ValueError, match="frobnicate"):
        split_intent("apologize+frobnicate")


def test_client_commands_are_decided_on_the_exact_text():
    assert client_command(" /end_session ") == "end_session"
    assert client_command("/start_session") == "start_session"
    assert client_command("let's begin") is None and client_command("/restart") is None


def test_an_incomplete_table_fails_naming_what_is_missing():
    table = {skill: 1 for skill in SKILLS}
    assert complete(table, SKILLS, "t") is table
    del table["promises"]
    with pytest.raises(ValueError, match="promises"):
        complete(table, SKILLS, "t")
