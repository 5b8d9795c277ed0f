"""Re-score stored sessions from their transcripts: `extramile rescore [SENDER_ID ...]`.

Scores every scored session (or the given ones) again with the same code the action server runs
live, with the exact persona version each session played, and compares the result with the
stored scorecard. Each scorecard records the versions it was computed with (rubric, scorer,
detectors, the detectors' trained models), so a difference is reported with what changed since; a
difference with nothing changed is a regression, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy.orm import Session

from extramile import store
from extramile.cli.common import rescore
from extramile.personas import PersonaCatalogue
from extramile.scoring.scorer import Scorer
from extramile.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile rescore", description=__doc__)
    parser.add_argument("sender_ids", nargs="*", help="sessions to re-score (default: all scored)")
    args = parser.parse_args(argv)
    settings = load_settings()
    scorer = Scorer.load(settings)
    engine = store.create_db_engine(settings.database_url)
    catalogue = PersonaCatalogue(settings.personas_dir)
    start, checked, regressions, explained = time.perf_counter(), 0, 0, 0
    with Session(engine, future=True) as db:
        for session in store.scored_sessions(db, args.sender_ids):
            checked += 1
            comparison = rescore(session, catalogue, scorer)
            if not comparison.differences:
                continue
            if comparison.regression:
                regressions += 1
                print(
                    f"{session.sender_id}: {len(comparison.differences)} difference(s) with the "
                    "same rubric, scorer, detectors and models: a regression"
                )
            else:
                explained += 1
                print(
                    f"{session.sender_id}: {len(comparison.differences)} difference(s); changed "
                    f"since it was scored: {', '.join(comparison.changed)}"
                )
            for line in comparison.differences:
                print(f"  {line}")
    if args.sender_ids and checked == 0:
        print(f"No scored session among {args.sender_ids}.", file=sys.stderr)
        return 1
    print(
        f"Re-scored {checked} session(s) in {time.perf_counter() - start:.1f} s: {regressions} "
        f"regression(s), {explained} explained by a changed rubric, scorer, detector or model."
    )
    return 1 if regressions else 0
