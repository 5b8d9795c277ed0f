"""Measure scoring speed: `python scripts/benchmark_scoring.py [--sessions 1000]`.

Plays --sessions sessions through the customer engine (every persona, scripted agent messages,
a different seed each) into a fresh SQLite log, scores each once as the action server does, then
reports (1) the time to score one 40-message session from scratch, p50 and p95 over those
sessions, and (2) the time to re-score every stored session and compare it with the stored
scorecard, as scripts/rescore.py does. No Rasa server is needed: acts come with the script.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import _project  # noqa: F401
from actions import customer, storage
from actions.customer import AgentMessage, DetectedAct
from actions.labelling import clear_label_cache, label_transcript
from actions.personas import load_personas
from actions.rubric import load_rubric
from actions.scoring import differences, rescore, score_session

AGENT_LINES = [
    ("Hi, I'm Sam from support, what happened?", ("greet", "introduce_self", "ask_open_question")),
    ("I'm so sorry about that.", ("apologize",)),
    ("Could you tell me more about what happened?", ("ask_open_question",)),
    ("Is the account in your name?", ("ask_closed_question",)),
    ("So what I'm hearing is the bill went up without any warning.", ("reflect",)),
    ("That sounds really frustrating.", ("empathize",)),
    ("The increase is because your discount ended in March.", ("explain",)),
    ("What's your order number?", ("ask_closed_question",)),
    ("Tell me more about how this has affected you.", ("ask_open_question",)),
    ("I'll call you back tomorrow at 10am.", ("promise_follow_up",)),
    ("I've refunded the difference to your card.", ("offer_solution",)),
]

ARGUING = ("As I already said, that's our policy.", ("argue",))


def play(db: Session, loaded, sender: str, seed: int) -> storage.TrainingSession:
    """One session of up to 20 agent messages (40-odd messages in all), logged turn by turn."""
    rng, clock = random.Random(seed), 1_700_000_000.0 + seed * 1000
    state, opening = customer.open_session(loaded.persona, loaded.content_hash, seed, clock)
    session = storage.start_session(db, sender_id=sender, trainee_name="bench", loaded=loaded,
                                    mode="practice", seed=seed, started_at=clock)
    records = _customer(opening)
    for _ in range(20):
        if state.agent_turns == 17:
            text, acts = AGENT_LINES[-1]  # the solution, at the end
        elif state.agent_turns == 6:
            text, acts = ARGUING  # one slip per session, so most sessions run their full length
        else:
            text, acts = rng.choice(AGENT_LINES[:-1])
        at = state.turn_ends_at + rng.choice((-1.0, 4.0, 6.0, 9.0, 12.0, 15.0, 20.0, 30.0))
        message = AgentMessage(text=text, acts=tuple(DetectedAct(act=a, confidence=0.9) for a in acts),
                               timestamp=at)
        state, turn = customer.respond(loaded.persona, state, message)
        records += [storage.TurnRecord("agent", text, at, acts=[a.dict() for a in message.acts])]
        records += _customer(turn)
        if turn.outcome:
            storage.end_session(db, session, turn.outcome, turn.ends_at, turn.mood)
            break
    storage.add_turns(db, session, records)
    return session


def _customer(turn) -> list[storage.TurnRecord]:
    return [storage.TurnRecord("customer", m.text, m.at, mood=turn.mood, turn_ends_at=turn.ends_at,
                               fact=m.fact) for m in turn.messages]


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args(argv)
    personas, _ = load_personas()
    rubric = load_rubric()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        storage.migrate(url)
        engine = storage.create_db_engine(url)
        timings, lengths = [], []
        with Session(engine, future=True) as db, db.begin():
            for i in range(args.sessions):
                loaded = list(personas.values())[i % len(personas)]
                session = play(db, loaded, f"bench-{i}", seed=i)
                db.expire(session, ["turns"])
                clear_label_cache()  # time a cold score, as for a session never seen
                start = time.perf_counter()
                scorecard = score_session(session, loaded.persona, rubric, label_transcript)
                elapsed = (time.perf_counter() - start) * 1000
                storage.save_scorecard(db, session, scorecard, scored_at=0.0)
                lengths.append(len(session.turns))
                if len(session.turns) >= 40:
                    timings.append(elapsed)
        print(f"{args.sessions} sessions, {statistics.mean(lengths):.0f} messages on average")
        if len(timings) < 20:
            print(f"only {len(timings)} sessions reached 40 messages: run more --sessions")
            return 1
        print(f"score one session of 40+ messages ({len(timings)} of them), cold: "
              f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms")

        clear_label_cache()
        start = time.perf_counter()
        differing = 0
        with Session(engine, future=True) as db:
            query = select(storage.TrainingSession).options(
                selectinload(storage.TrainingSession.turns),
                selectinload(storage.TrainingSession.scorecard),
                selectinload(storage.TrainingSession.persona_version))
            for session in db.execute(query).scalars():
                differing += bool(differences(session.scorecard.scorecard,
                                              rescore(session, rubric, label_transcript)))
        print(f"re-score and compare all {args.sessions} stored sessions: "
              f"{time.perf_counter() - start:.1f} s, {differing} with differences")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
