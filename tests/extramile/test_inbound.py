"""What a chat client sends: any input gives a checked message or a clear InboundError, nothing else."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extramile.chat_tokens import CONVERSATION_ID_PATTERN
from extramile.inbound import (
    COMMANDS,
    MAX_METADATA_BYTES,
    PLAIN_TEXT_MARKER,
    ClientMessage,
    InboundError,
    TooLarge,
    allowed_origins,
    bearer_token,
    body_limit,
    check_conversation_id,
    check_metadata,
    check_text,
    mark_plain_text,
    parse_json_body,
    read_message,
    read_session_request,
    unmark_plain_text,
)

MAX_CHARS = 5000
# Any character, lone surrogates included (st.characters leaves them out unless asked), and the
# few that matter most here.
CHARACTERS = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),
    st.sampled_from(["/", "\x00", PLAIN_TEXT_MARKER, " ", "\n", "{", "\\"]),
)
SHORT_TEXT = st.text(alphabet=CHARACTERS, max_size=80)


@st.composite
def long_texts(draw: st.DrawFn) -> str:
    """Texts up to 100,000 characters: a drawn piece repeated (Hypothesis draws little at once)."""
    piece = draw(st.text(alphabet=CHARACTERS, min_size=1, max_size=40))
    length = draw(st.integers(0, 100_000))
    return (piece * (length // len(piece) + 1))[:length]


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | SHORT_TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(SHORT_TEXT, inner, max_size=5),
    max_leaves=40,
)
CLIENT_DATA = st.one_of(
    JSON_LIKE,
    st.fixed_dictionaries(
        {},
        optional={
            "sender": st.one_of(JSON_LIKE, st.from_regex(CONVERSATION_ID_PATTERN, fullmatch=True)),
            "session_id": st.one_of(JSON_LIKE, st.from_regex(CONVERSATION_ID_PATTERN, fullmatch=True)),
            "message": st.one_of(JSON_LIKE, long_texts()),
            "message_id": JSON_LIKE,
            "metadata": JSON_LIKE,
            "customData": st.one_of(JSON_LIKE, st.just('{"a": 1}'), st.just("{not json")),
        },
    ),
)


@settings(deadline=2000, max_examples=300)
@given(long_texts())
def test_any_text_is_accepted_as_it_is_or_refused_with_a_reason(text):
    try:
        checked = check_text(text, MAX_CHARS)
    except InboundError as error:
        assert str(error).startswith("message ")
        return
    assert checked is text and len(text) <= MAX_CHARS and "\x00" not in text
    text.encode("utf-8")


@settings(deadline=2000, max_examples=300)
@given(CLIENT_DATA, st.sampled_from(["rest", "socketio"]))
def test_any_client_data_gives_a_message_or_a_clear_error(data, channel):
    fields = {"rest": ("sender", "metadata", False), "socketio": ("session_id", "customData", True)}
    id_field, metadata_field, json_text = fields[channel]
    try:
        message = read_message(
            data,
            id_field=id_field,
            metadata_field=metadata_field,
            max_chars=MAX_CHARS,
            json_text_metadata=json_text,
        )
    except InboundError as error:
        assert str(error) and len(str(error)) < 400  # a reason, not an echo of the input
        return
    assert isinstance(message, ClientMessage)
    assert message.conversation_id is None or re.fullmatch(CONVERSATION_ID_PATTERN, message.conversation_id)
    assert message.message_id is None or re.fullmatch(CONVERSATION_ID_PATTERN, message.message_id)
    assert len(json.dumps(message.metadata)) <= MAX_METADATA_BYTES
    message.text.encode("utf-8")


@settings(deadline=2000, max_examples=300)
@given(JSON_LIKE)
def test_any_metadata_is_an_object_under_the_bound_or_an_error(value):
    try:
        metadata = check_metadata(value, "metadata")
    except InboundError as error:
        assert str(error).startswith("metadata ")
        return
    assert isinstance(metadata, dict)


@settings(deadline=2000, max_examples=300)
@given(st.one_of(st.binary(max_size=300), JSON_LIKE.map(lambda v: json.dumps(v).encode())))
def test_any_body_is_json_or_a_clear_error(body):
    try:
        parse_json_body(body, limit=200)
    except TooLarge:
        assert len(body) > 200
    except InboundError as error:
        assert "request body" in str(error)


@given(SHORT_TEXT)
def test_any_conversation_id_is_the_safe_form_or_refused(value):
    try:
        assert re.fullmatch(CONVERSATION_ID_PATTERN, check_conversation_id(value, "sender"))
    except InboundError as error:
        assert "sender must be 1 to 64 letters" in str(error)


@given(SHORT_TEXT)
def test_only_the_two_commands_reach_rasa_with_a_slash_and_the_log_gets_the_text_back(typed):
    marked = mark_plain_text(typed)
    assert unmark_plain_text(marked).strip() == typed.strip()  # Rasa keeps the text stripped
    if marked.strip().startswith("/"):  # what Rasa's RegexMessageHandler reads as an intent
        assert marked.strip() in COMMANDS


@pytest.mark.parametrize(
    "text", ["/restart", "/back", "/session_start", "/offer_solution", '/greet{"name": 1}']
)
def test_intent_syntax_becomes_text(text):
    assert not mark_plain_text(f"  {text}\n").strip().startswith("/")  # Rasa strips before it looks
    assert mark_plain_text(text) == PLAIN_TEXT_MARKER + text and not mark_plain_text(text).strip().startswith(
        "/"
    )


def test_commands_stay_commands_and_plain_text_is_untouched():
    assert [mark_plain_text(c) for c in sorted(COMMANDS)] == sorted(COMMANDS)
    assert mark_plain_text("Hello / hi") == "Hello / hi" and unmark_plain_text("Hello") == "Hello"
    # A trainee's own leading marker survives: the channel adds one more, the action takes one off.
    assert unmark_plain_text(mark_plain_text(PLAIN_TEXT_MARKER + "x")) == PLAIN_TEXT_MARKER + "x"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "not null"),
        (42, "not a number"),
        (["a"], "not a list"),
        ({"a": 1}, "not an object"),
        ("x" * (MAX_CHARS + 1), "the limit is 5000"),
        ("what \ud800 happened", "lone surrogate"),
        ("a\x00b", "NUL"),
    ],
)
def test_bad_text_says_what_is_wrong(value, reason):
    with pytest.raises(InboundError, match=reason):
        check_text(value, MAX_CHARS)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ([1, 2, 3], "must be a JSON object"),
        ("hello", "must be a JSON object"),
        ({"sender": "ok"}, "message is missing"),
        ({"sender": "x\ud800y", "message": "hi"}, "sender must be 1 to 64"),
        ({"sender": "x\x00y", "message": "hi"}, "sender must be 1 to 64"),
        ({"sender": "../../x", "message": "hi"}, "sender must be 1 to 64"),
        ({"sender": "a" * 65, "message": "hi"}, "sender must be 1 to 64"),
        ({"sender": {"a": 1}, "message": "hi"}, "not an object"),
        ({"message": "hi", "metadata": "persona"}, "metadata must be a JSON object"),
        ({"message": "hi", "metadata": {"x": "y" * MAX_METADATA_BYTES}}, "the limit is 8192"),
        ({"message": "hi", "message_id": "a b"}, "message_id must be"),
    ],
)
def test_bad_rest_requests_say_what_is_wrong(data, reason):
    with pytest.raises(InboundError, match=reason):
        read_message(data, id_field="sender", metadata_field="metadata", max_chars=MAX_CHARS)


def test_a_good_message_and_socketio_metadata_as_json_text():
    message = read_message(
        {"session_id": "conv-1", "message": "Hi", "message_id": "m1", "customData": '{"a": 1}'},
        id_field="session_id",
        metadata_field="customData",
        max_chars=MAX_CHARS,
        json_text_metadata=True,
    )
    assert message == ClientMessage(text="Hi", conversation_id="conv-1", message_id="m1", metadata={"a": 1})
    assert read_session_request(None) is None and read_session_request({"session_id": "c_2"}) == "c_2"
    with pytest.raises(InboundError, match="session_request must be an object"):
        read_session_request("c_2")


def test_bodies():
    assert parse_json_body(b'{"message": "hi"}', 100) == {"message": "hi"}
    with pytest.raises(TooLarge, match="the limit is 10"):
        parse_json_body(b'{"message": "hello"}', 10)
    for body, reason in [(b"", "empty"), (b"{", "not valid JSON"), (b"[" * 100_000, "nested too deeply")]:
        with pytest.raises(InboundError, match=reason):
            parse_json_body(body, 1_000_000)
    with pytest.raises(InboundError, match="NaN"):
        parse_json_body(b'{"a": NaN}', 100)
    # The longest message fits whatever JSON escapes it to: 12 bytes a character.
    longest = json.dumps({"sender": "s", "message": "\U0001f642" * MAX_CHARS}).encode()
    assert len(longest) < body_limit(MAX_CHARS) and body_limit(MAX_CHARS) >= 64 * 1024


def test_tokens_and_origins():
    assert bearer_token("Bearer abc") == "abc" and bearer_token("bearer  abc ") == "abc"
    assert bearer_token(None) is None and bearer_token("Basic abc") is None and bearer_token("Bearer") is None
    assert allowed_origins("http://localhost:8000/") == ["http://localhost:8000", "http://127.0.0.1:8000"]
    assert allowed_origins("https://trainer.example.com") == ["https://trainer.example.com"]
    assert allowed_origins("not a url") == []
