"""`extramile rescore` over a real log: reproduces stored cards, names what changed, flags regressions."""

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from extramile import store
from extramile.cli.rescore import main as rescore
from extramile.customer import DetectedAct
from extramile.personas import PersonaCatalogue
from extramile.practice import ChatMessage, PracticeService


def logged_session(url, settings, scorer):
    service = PracticeService(store.create_db_engine(url), PersonaCatalogue(settings.personas_dir), scorer)
    state, clock = None, 1_000.0
    meta = {"persona": "energy-bill-analytical", "trainee": "Ana"}
    for text, acts in [
        ("/start_session", ()),
        ("Hello, I'm Sam. What happened?", ("greet", "introduce_self", "ask_open_question")),
        ("The bill rose because the tariff changed.", ("explain",)),
        ("So the estimate was higher than your real reading?", ("reflect",)),
    ]:
        clock = (state.turn_ends_at if state else clock) + 20
        message = ChatMessage(text, clock, tuple(DetectedAct(act=a, confidence=0.9) for a in acts))
        state = service.handle("s-1", meta, message, state.dict() if state else None).state


def edit_stored_card(url, edit):
    with Session(store.create_db_engine(url), future=True) as db, db.begin():
        row = store.find_session(db, "s-1").scorecard
        edit(row.scorecard)
        flag_modified(row, "scorecard")


def test_rescore_reports_reproduced_explained_and_regressed(
    sqlite_url, settings, scorer, monkeypatch, capsys
):
    logged_session(sqlite_url, settings, scorer)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert rescore([]) == 0
    assert "Re-scored 1 session(s)" in capsys.readouterr().out

    edit_stored_card(sqlite_url, lambda card: card.update(overall=card["overall"] + 1))
    assert rescore(["s-1"]) == 1
    assert "a regression" in capsys.readouterr().out

    edit_stored_card(sqlite_url, lambda card: card["versions"].update(detectors="older"))
    assert rescore(["s-1"]) == 0
    out = capsys.readouterr().out
    assert "changed since it was scored: detectors" in out and "scorecard.overall" in out

    assert rescore(["nobody"]) == 1
