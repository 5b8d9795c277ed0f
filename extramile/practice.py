"""The practice-session service: from one trainee message to what the trainee sees next.

Plain Python between the Rasa action and the rest: reads the session's metadata, starts the
session or plays the customer's next turn, writes everything to the session log and scores the
conversation so far. Problems the trainee can fix (no session, an unknown persona, an empty
message) come back as notices, never as crashes. Blocking work (the database, the detectors):
callers on an event loop run `handle` in a worker thread.

The session log is the source of truth. Each trainee message carries a key (the chat message's
id, which a client's retry repeats): a message already logged is never logged or answered again,
and the customer's turn that answered it is sent again instead. The customer's state is stored
with the turns, so a Rasa slot that was lost or is behind the log changes nothing. When the
database fails, the trainee is told the message was not saved, never that it was.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError, validator
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from extramile import customer, store
from extramile.customer import AgentMessage, CustomerMessage, CustomerState, CustomerTurn, DetectedAct
from extramile.detectors import ContextMessage
from extramile.personas import LoadedPersona, PersonaCatalogue
from extramile.reading import read_acts
from extramile.scoring import Scorecard
from extramile.scoring.scorer import Scorer
from extramile.settings import Settings
from extramile.topics import english_words
from extramile.vocab import OUTCOMES, Mode, Outcome, client_command, complete

log = logging.getLogger(__name__)

# The problem is fixed: the customer waits this long for the agent to close the call, then leaves.
CUSTOMER_LEAVES_AFTER = 600.0
FIXED_NOTICE = "The customer accepted your fix. Check whether there is anything else, then close the call."

OUTCOME_NOTICES: dict[Outcome, str] = complete(
    {
        "resolved": "The customer's problem is resolved. The session has ended.",
        "gave_up": "The customer gave up. The session has ended.",
        "closed_by_agent": "You closed the conversation. The session has ended.",
        "ended_by_trainee": "You ended the chat. The session has ended.",
    },
    OUTCOMES,
    "the outcome notices",
)

DATABASE_UNAVAILABLE = (
    "Our database is unavailable right now, so your message was not saved and the customer did "
    "not see it. Send it again in a minute."
)
DATABASE_REFUSED = (
    "The database could not store your message, so it was not saved and the customer did not see "
    "it. Send it again, reworded if it has unusual characters."
)
UNSTORABLE = (
    "Your message was not saved: it contains characters that cannot be stored (a NUL character or "
    "a broken emoji). Remove them and send it again."
)
MISSED_UNSTORABLE = (
    "A message you sent while the customer simulator was down was not saved: it contains characters "
    "that cannot be stored. Send it again without them if it mattered."
)
NO_STORED_STATE = (
    "This conversation's session was logged before the customer's state was kept with it and cannot "
    "go on. Start a new session to practise."
)
KEY_LENGTH = 255  # em_messages.message_key


def storable(text: str) -> bool:
    """Whether the database can store this text: PostgreSQL refuses NUL, and a lone surrogate
    (half an emoji) has no encoding at all."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class SessionMetadata(BaseModel):
    """What the chat client sends with the first message of a session."""

    persona: str = Field(..., min_length=1)
    trainee: str | None = Field(None, max_length=200)
    mode: Mode = "practice"
    seed: int | None = Field(None, ge=0, le=2**63 - 1)

    @validator("persona", "trainee")
    def _storable(cls, value: str | None) -> str | None:
        if value is not None and not storable(value):
            raise ValueError("contains characters that cannot be stored (NUL or a broken emoji)")
        return value


@dataclass(frozen=True)
class ChatMessage:
    """A message that reached the chat server: the trainee's words or a client command."""

    text: str
    at: float  # the server's time when it arrived
    acts: tuple[DetectedAct, ...] = ()
    nlu_model: str | None = None  # the Rasa model that read it
    message_id: str | None = None  # the chat message's id: a client's retry repeats it

    @property
    def command(self) -> str | None:
        return client_command(self.text)

    @property
    def key(self) -> str | None:
        """The idempotency key: the message id, hashed if it is too long or cannot be stored (a
        client chooses it, and it must never stop the message being logged)."""
        if not self.message_id:
            return None
        if len(self.message_id) <= KEY_LENGTH and storable(self.message_id):
            return self.message_id
        return "sha256:" + hashlib.sha256(self.message_id.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def storable(self) -> bool:
        return storable(self.text)

    def agent_message(self) -> AgentMessage:
        return AgentMessage(text=self.text, acts=self.acts, at=self.at)

    def logged(self, missed: bool = False) -> store.NewTurn:
        return store.NewTurn(
            "agent",
            [
                store.NewMessage(
                    self.text,
                    self.at,
                    acts=tuple(a.dict() for a in self.acts),
                    nlu_model=self.nlu_model,
                    key=self.key,
                    delivered_late=missed,
                )
            ],
        )


@dataclass
class Step:
    """What one trainee message produced: the customer's turn and/or notices, and the new state."""

    state: CustomerState | None
    customer_turn: CustomerTurn | None = None
    notices: list[str] = field(default_factory=list)
    hint: str | None = None  # practice mode only: coaching on the latest message
    # False: the database failed and nothing of the message was saved. The caller keeps the
    # customer's state as it was, and never hands this message back as missed: the trainee was
    # told to send it again.
    saved: bool = True


def seed_for(sender_id: str) -> int:
    """A stable seed per conversation, used when the client does not choose one."""
    return int(hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8], 16)


def _metadata_problem(error: ValidationError) -> str:
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
    return (
        f"The session could not start: {problems}. Send the first message with metadata "
        '{"persona": "<persona id>", "trainee": "<your name>", "mode": "practice" or "assessment"}.'
    )


def logged_turn(turn: CustomerTurn) -> store.NewTurn:
    """A customer's turn as the session log keeps it, with what it did to their mood."""
    return store.NewTurn(
        "customer",
        [store.NewMessage(m.text, m.at, fact=m.fact) for m in turn.messages],
        mood=turn.mood,
        mood_delta=turn.mood_delta,
        mood_reasons=turn.mood_reasons,
        interrupted=turn.interrupted,
    )


class PracticeService:
    """Plays sessions against the catalogue's personas, logs and scores them in a database."""

    def __init__(self, db: Engine, catalogue: PersonaCatalogue, scorer: Scorer, typing_scale: float = 1.0):
        self.db = db
        self.catalogue = catalogue
        self.scorer = scorer
        self.typing_scale = typing_scale

    def handle(
        self,
        sender_id: str,
        metadata: Mapping[str, Any],
        message: ChatMessage,
        state: Mapping[str, Any] | None,
        missed: Sequence[ChatMessage] = (),
    ) -> Step:
        """Handle one trainee message, after any that reached the server while the simulator was
        down (`missed`: logged in order, and an "End chat" among them ends the session). `state`
        is the customer's state as the Rasa slot has it; the log's, when it has one, wins."""
        try:
            return self._in_transaction(sender_id, metadata, message, state, missed)
        except IntegrityError:
            # Another server logged this message (or started this session) a moment ago: read
            # the log again, which now answers it.
            try:
                return self._in_transaction(sender_id, metadata, message, state, missed)
            except SQLAlchemyError as error:
                return _not_saved(sender_id, error)
        except SQLAlchemyError as error:
            return _not_saved(sender_id, error)

    def _in_transaction(
        self,
        sender_id: str,
        metadata: Mapping[str, Any],
        message: ChatMessage,
        state: Mapping[str, Any] | None,
        missed: Sequence[ChatMessage],
    ) -> Step:
        with Session(self.db, future=True) as db, db.begin():
            session = store.find_session(db, sender_id)
            if session is not None:  # carry it on, whatever the slot says: never a second opening
                return self._carry_on(db, session, message, state, missed)
            if state is not None:  # the log was wiped under a live conversation
                return Step(
                    None,
                    notices=["This conversation's session log is missing. Start a new session to practise."],
                )
            if message.command == "end_session":
                return Step(None, notices=["No practice session is under way, so there is nothing to end."])
            return self._start(db, sender_id, metadata, message)

    def _carry_on(
        self,
        db: Session,
        session: store.TrainingSession,
        message: ChatMessage,
        slot: Mapping[str, Any] | None,
        missed: Sequence[ChatMessage],
    ) -> Step:
        """A message in a session the log holds: missed ones first, then this one, unless the log
        already has it (then the customer's reply to it is sent again)."""
        state = _state_of(session, slot)
        if state is None:
            return Step(None, notices=[NO_STORED_STATE])
        logged = store.logged_keys(db, session, [message.key, *(m.key for m in missed)])
        done = set(logged)
        notices = []
        for earlier in missed:
            if earlier.key is not None and earlier.key in done | {message.key}:
                continue  # logged before its reply was lost, or delivered again as this message
            if not earlier.storable:
                notices.append(MISSED_UNSTORABLE)  # skipped, so it never fails again
                continue
            state = self._catch_up(db, session, state, earlier)
            if earlier.key is not None:
                done.add(earlier.key)
        if message.key is not None and message.key in logged:
            step = self._replay(session, state, message.key)
        elif message.command == "end_session":
            step = self._end(db, session, state, message)
        else:
            step = self._continue(db, session, state, message)
        if step.state is not None:
            store.save_customer_state(db, session, step.state.dict())
        step.notices[:0] = notices
        return step

    def _start(self, db: Session, sender_id: str, metadata: Mapping[str, Any], message: ChatMessage) -> Step:
        personas = self.catalogue.personas()
        valid_ids = ", ".join(sorted(personas)) or "(none: check the persona files)"
        if not metadata or "persona" not in metadata:
            return Step(
                None,
                notices=[
                    "No practice session has started yet. Start one by sending your first message "
                    'with metadata {"persona": "<persona id>", "trainee": "<your name>", '
                    f'"mode": "practice"}}. Personas: {valid_ids}.'
                ],
            )
        try:
            meta = SessionMetadata.parse_obj(metadata)
        except ValidationError as error:
            return Step(None, notices=[_metadata_problem(error)])
        loaded = personas.get(meta.persona)
        if loaded is None:
            return Step(
                None, notices=[f"There is no customer called '{meta.persona}'. Choose one of: {valid_ids}."]
            )
        # A first message with real text is kept: the log loses nothing the trainee typed.
        typed = not message.command and message.text.strip()
        if typed and not message.storable:
            return Step(None, notices=[UNSTORABLE], saved=False)
        seed = meta.seed if meta.seed is not None else seed_for(sender_id)
        state, opening = customer.open_session(
            loaded.persona, loaded.content_hash, seed, message.at, self.typing_scale
        )
        session = store.start_session(
            db,
            sender_id=sender_id,
            trainee_name=meta.trainee,
            loaded=loaded,
            mode=meta.mode,
            seed=seed,
            started_at=message.at,
            start_key=message.key,
        )
        store.add_turns(db, session, ([message.logged()] if typed else []) + [logged_turn(opening)])
        store.save_customer_state(db, session, state.dict())
        return Step(state, customer_turn=opening)

    def _catch_up(
        self, db: Session, session: store.TrainingSession, state: CustomerState, message: ChatMessage
    ) -> CustomerState:
        """A message the simulator missed: logged (never lost); the customer did not see it."""
        if message.command == "end_session" and state.outcome is None:
            self._end(db, session, state, message)
            return customer.end_by_trainee(state)
        if not message.command and message.text.strip():
            store.add_turns(db, session, [message.logged(missed=True)])
        return state

    def _continue(
        self, db: Session, session: store.TrainingSession, state: CustomerState, message: ChatMessage
    ) -> Step:
        if message.command == "start_session":
            return Step(state, notices=["Your session is already under way: reply to the customer."])
        if not message.text.strip():
            return Step(state, notices=["Your message was empty. Type a reply to the customer."])
        if not message.storable:
            return Step(state, notices=[UNSTORABLE])
        if state.outcome is not None:
            store.add_turns(db, session, [message.logged()])
            return Step(
                state, notices=[OUTCOME_NOTICES[state.outcome] + " Start a new session to practise again."]
            )
        if state.fixed_at is not None and message.at - state.fixed_at > CUSTOMER_LEAVES_AFTER:
            # The problem was fixed and nobody closed the call: the customer has gone.
            ended = state.copy(update={"outcome": "resolved"})
            store.end_session(db, session, "resolved", state.fixed_at + CUSTOMER_LEAVES_AFTER, state.mood)
            store.add_turns(db, session, [message.logged()])
            return Step(
                ended,
                notices=[
                    "The customer has left: their problem was fixed and the call "
                    "was never closed. The session has ended."
                ],
            )
        loaded = self._persona_version(session)
        read = self._read(session, message)
        new_state, turn = customer.respond(loaded.persona, state, read, self.typing_scale)
        store.add_turns(db, session, [message.logged(), logged_turn(turn)])
        notices = []
        if turn.fixed:
            # Resolved now, though the call stays open for the agent to check and close.
            store.end_session(db, session, "resolved", None, turn.mood)
            notices.append(FIXED_NOTICE)
        if turn.outcome is not None:
            store.end_session(db, session, turn.outcome, turn.ends_at, turn.mood)
            notices.append(OUTCOME_NOTICES[turn.outcome])
        scorecard = self._score(db, session, loaded, scored_at=message.at)
        latest = max(m.position for m in session.messages if m.speaker == "agent")
        hint = scorecard.hint_for(latest) if session.mode == "practice" else None
        return Step(new_state, customer_turn=turn, notices=notices, hint=hint)

    def _end(
        self, db: Session, session: store.TrainingSession, state: CustomerState, message: ChatMessage
    ) -> Step:
        """The trainee pressed "End chat": close the session and score it as it stands."""
        if state.outcome is not None:
            return Step(state, notices=[OUTCOME_NOTICES[state.outcome]])
        new_state = customer.end_by_trainee(state)
        outcome = new_state.outcome or "ended_by_trainee"
        store.end_session(db, session, outcome, message.at, state.mood)
        self._score(db, session, self._persona_version(session), scored_at=message.at)
        return Step(new_state, notices=[OUTCOME_NOTICES[outcome]])

    def _replay(self, session: store.TrainingSession, state: CustomerState, key: str) -> Step:
        """A message already logged, delivered again (a retry after its reply was lost): the
        customer's turn that answered it, as logged, so the trainee finally sees it. Nothing is
        logged or scored again."""
        answered = store.reply_to(session, key)
        if answered is None:
            # Logged after the session ended, so nothing answered it: say again that it has.
            return Step(state, notices=[OUTCOME_NOTICES[state.outcome]] if state.outcome else [])
        turn, rows = answered
        replayed = CustomerTurn(
            messages=[CustomerMessage(text=m.text, at=m.at, fact=m.fact) for m in rows],
            mood=turn.mood if turn.mood is not None else state.mood,
            mood_delta=turn.mood_delta or 0,
            mood_reasons=tuple(turn.mood_reasons or ()),
            revealed=next((m.fact for m in rows if m.fact), None),
            # The turn that ended the session, or accepted the fix, ends when the log says that happened.
            outcome=state.outcome if session.ended_at == turn.ends_at else None,
            interrupted=turn.interrupted,
            fixed=state.fixed_at is not None and state.fixed_at == rows[-1].at,
        )
        agent = next((m for m in session.messages if m.message_key == key), None)
        scorecard = store.stored_scorecard(session)
        hint = (
            scorecard.hint_for(agent.position)
            if session.mode == "practice" and scorecard is not None and agent is not None
            else None
        )
        return Step(state, customer_turn=replayed, hint=hint)

    def _read(self, session: store.TrainingSession, message: ChatMessage) -> AgentMessage:
        """The message as the customer reads it: the one reading of its acts (the same the
        scorecard uses), and any figure a paraphrase in it got wrong."""
        context = [ContextMessage(m.speaker, m.text) for m in session.messages]
        labels = self.scorer.labeller.label_message(message.text, context)
        confidence = {a.act: a.confidence for a in message.acts}
        acts = read_acts(message.text, confidence, labels)
        return AgentMessage(
            text=message.text,
            at=message.at,
            invented=labels.reflection.invented,
            acts=tuple(DetectedAct(act=a, confidence=confidence.get(a, 1.0)) for a in sorted(acts)),
        )

    def _score(
        self, db: Session, session: store.TrainingSession, loaded: LoadedPersona, scored_at: float
    ) -> Scorecard:
        transcript = store.load_transcript(session, loaded.persona)
        scorecard = self.scorer.score(transcript, store.nlu_models(session))
        store.save_scorecard(db, session, scorecard, scored_at=scored_at)
        return scorecard

    def _persona_version(self, session: store.TrainingSession) -> LoadedPersona:
        """The exact persona version this session started with, even if the file changed since."""
        version = session.persona_version
        return self.catalogue.version(version.persona_id, version.content)


def _state_of(session: store.TrainingSession, slot: Mapping[str, Any] | None) -> CustomerState | None:
    """The customer's state as the log has it: Rasa may have lost the slot, or kept an older one
    when it died after the log was written. Only a session logged before the log kept the state
    falls back on the slot. An ended session stays ended."""
    stored = session.customer_state if session.customer_state is not None else slot
    if stored is None:
        return None
    state = CustomerState.parse_obj(stored)
    if state.outcome is None and session.ended_at is not None and session.outcome is not None:
        state = state.copy(update={"outcome": session.outcome})
    return state


def _not_saved(sender_id: str, error: SQLAlchemyError) -> Step:
    """The session log could not be read or written: the transaction was rolled back, so the
    trainee hears that the message was not saved, and no state changes."""
    unavailable = isinstance(error, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout))
    # The driver's own words ("database is locked"), not the statement and its parameters: those
    # hold what the trainee typed.
    reason = str(getattr(error, "orig", None) or "").split("\n", 1)[0][:200]
    log.error(
        "The session log of %r failed (%s: %s); the message was not saved.",
        sender_id,
        type(error).__name__,
        reason,
    )
    return Step(None, notices=[DATABASE_UNAVAILABLE if unavailable else DATABASE_REFUSED], saved=False)


def practice_service(settings: Settings) -> PracticeService:
    """The service as a server starts it: schema migrated, models and rubric loaded now, so
    no trainee's first message waits for any of it."""
    store.migrate(settings.database_url)
    english_words()  # the word list that tells gibberish from a message
    return PracticeService(
        store.create_db_engine(settings.database_url),
        PersonaCatalogue(settings.personas_dir),
        Scorer.load(settings),
        typing_scale=settings.typing_scale,
    )
