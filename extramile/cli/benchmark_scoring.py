"""Measure scoring speed: `extramile benchmark-scoring [--sessions 1000]`.

Plays --sessions sessions through the customer engine (every persona, scripted agent messages,
a different seed each) into a fresh SQLite log, scores each once as the action server does, then
reports (1) the time to score one 40-message session from scratch, p50 and p95 over those
sessions, and (2) the time to re-score every stored session and compare it with the stored
scorecard, as `extramile rescore` does. No Rasa server is needed: acts come with the script.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time

from sqlalchemy.orm import Session

from extramile import customer, store
from extramile.cli.common import percentile, rescore
from extramile.customer import DetectedAct
from extramile.personas import LoadedPersona, PersonaCatalogue
from extramile.practice import ChatMessage, logged_turn
from extramile.scoring.scorer import Scorer
from extramile.settings import load_settings
from extramile.vocab import AgentAct

AGENT_LINES: list[tuple[str, tuple[AgentAct, ...]]] = [
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
ARGUING: tuple[str, tuple[AgentAct, ...]] = ("As I already said, that's our policy.", ("argue",))


def play(db: Session, loaded: LoadedPersona, sender: str, seed: int) -> store.TrainingSession:
    """One session of up to 20 agent messages (40-odd messages in all), logged turn by turn."""
    rng, clock = random.Random(seed), 1_700_000_000.0 + seed * 1000
    state, opening = customer.open_session(loaded.persona, loaded.content_hash, seed, clock)
    session = store.start_session(
        db,
        sender_id=sender,
        trainee_name="bench",
        loaded=loaded,
        mode="practice",
        seed=seed,
        started_at=clock,
    )
    turns = [logged_turn(opening)]
    for _ in range(20):
        if state.agent_turns == 17:
            text, acts = AGENT_LINES[-1]  # the solution, at the end
        elif state.agent_turns == 6:
            text, acts = ARGUING  # one slip per session, so most sessions run their full length
        else:
            text, acts = rng.choice(AGENT_LINES[:-1])
        at = state.turn_ends_at + rng.choice((-1.0, 4.0, 6.0, 9.0, 12.0, 15.0, 20.0, 30.0))
        message = ChatMessage(text, at, tuple(DetectedAct(act=a, confidence=0.9) for a in acts))
        state, turn = customer.respond(loaded.persona, state, message.agent_message())
        turns += [message.logged(), logged_turn(turn)]
        if turn.outcome:
            store.end_session(db, session, turn.outcome, turn.ends_at, turn.mood)
            break
    store.add_turns(db, session, turns)
    return session


def rescore_all(db: Session, scorer: Scorer, catalogue: PersonaCatalogue) -> int:
    """Re-score every stored session; the number whose scorecard differs."""
    differing = 0
    for session in store.scored_sessions(db):
        differing += bool(rescore(session, catalogue, scorer).differences)
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile benchmark-scoring", description=__doc__)
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args(argv)
    settings = load_settings()
    catalogue = PersonaCatalogue(settings.personas_dir)
    personas = list(catalogue.personas().values())
    scorer = Scorer.load(settings)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        store.migrate(url)
        engine = store.create_db_engine(url)
        timings, lengths = [], []
        with Session(engine, future=True) as db, db.begin():
            for i in range(args.sessions):
                loaded = personas[i % len(personas)]
                session = play(db, loaded, f"bench-{i}", seed=i)
                scorer.labeller.forget()  # time a cold score, as for a session never seen
                start = time.perf_counter()
                scorecard = scorer.score(store.load_transcript(session, loaded.persona))
                elapsed = (time.perf_counter() - start) * 1000
                store.save_scorecard(db, session, scorecard, scored_at=0.0)
                lengths.append(len(session.messages))
                if len(session.messages) >= 40:
                    timings.append(elapsed)
        print(f"{args.sessions} sessions, {statistics.mean(lengths):.0f} messages on average")
        if len(timings) < 20:
            print(f"only {len(timings)} sessions reached 40 messages: run more --sessions")
            return 1
        print(
            f"score one session of 40+ messages ({len(timings)} of them), cold: "
            f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms"
        )

        scorer.labeller.forget()
        start = time.perf_counter()
        with Session(engine, future=True) as db:
            differing = rescore_all(db, scorer, catalogue)
        print(
            f"re-score and compare all {args.sessions} stored sessions: "
            f"{time.perf_counter() - start:.1f} s, {differing} with differences"
        )
    return 1 if differing else 0
