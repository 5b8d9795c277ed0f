"""The text report shows trainee text, never runs it: control characters come out as escapes."""

from extramile.cli.session_report import printable


def test_control_characters_are_shown_as_escapes():
    assert printable("red \x1b[31malert\x1b[0m\x07 done") == "red \\x1b[31malert\\x1b[0m\\x07 done"
    assert printable("Café £58 — שלום 🙂") == "Café £58 — שלום 🙂"  # printable text as it is
