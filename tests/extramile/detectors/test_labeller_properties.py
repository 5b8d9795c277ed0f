"""The labeller on any text at all: a result, never a crash, a hang or unbounded memory.

Messages reach the labeller only after the channels' checks (valid Unicode, no NUL, at most
MAX_MESSAGE_CHARS), but the scorer also reads transcripts from files and old logs, so the
labeller itself must take anything: any code point, including lone surrogates and controls, any
length up to 100,000 characters, any earlier chat.
"""

import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extramile.detectors import ContextMessage

ANY_CHARACTER = st.characters(codec=None)  # every code point, surrogates and controls included
CHUNKS = st.text(alphabet=ANY_CHARACTER, max_size=400)


@st.composite
def any_text(draw: st.DrawFn) -> str:
    """Short text of any characters, or a chunk repeated up to 100,000 characters."""
    chunk = draw(CHUNKS)
    repeat = draw(st.sampled_from([1, 1, 1, 10, 250]))
    return (chunk * repeat)[:100_000]


CONTEXT = st.lists(st.builds(ContextMessage, st.sampled_from(["agent", "customer"]), CHUNKS), max_size=4)


@settings(
    max_examples=60,
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=any_text(), context=CONTEXT)
def test_any_text_gets_labels_in_bounded_memory(labeller, text, context):
    tracemalloc.start()
    try:
        labels = labeller.label_message(text, context)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert labels.question.label in {"open", "closed", "none"}
    assert labels.apology.label in {"apology", "non_apology", "none"}
    assert labels.argue.label in {"argue", "none"} and isinstance(labels.reflection.found, bool)
    assert peak < 300_000_000, f"{peak / 1e6:.0f} MB for {len(text)} characters"
