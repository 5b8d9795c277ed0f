"""Re-score stored sessions from their transcripts: `python scripts/rescore.py [SENDER_ID ...]`.

Scores every scored session (or the given ones) again with the same code the action server runs
live, and reports any difference from the stored scorecard; exits 1 if there is one. A session
scored under another version of rubric.yml is reported as such, not as a difference.
"""

import argparse
import sys
import time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import _project  # noqa: F401
from actions import storage
from actions.labelling import label_transcript
from actions.rubric import load_rubric
from actions.scoring import differences, rescore
from actions.settings import load_settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sender_ids", nargs="*", help="sessions to re-score (default: all scored)")
    args = parser.parse_args(argv)
    settings = load_settings()
    rubric = load_rubric(settings.rubric_file)
    engine = storage.create_db_engine(settings.database_url)
    query = (select(storage.TrainingSession).join(storage.StoredScorecard)
             .options(selectinload(storage.TrainingSession.turns),
                      selectinload(storage.TrainingSession.scorecard),
                      selectinload(storage.TrainingSession.persona_version))
             .order_by(storage.TrainingSession.id))
    if args.sender_ids:
        query = query.where(storage.TrainingSession.sender_id.in_(args.sender_ids))
    start, checked, differing, other_rubric = time.perf_counter(), 0, 0, 0
    with Session(engine, future=True) as db:
        for session in db.execute(query).scalars():
            checked += 1
            stored = session.scorecard.scorecard
            if stored.get("rubric_hash") != rubric.content_hash:
                other_rubric += 1
                print(f"{session.sender_id}: scored under another rubric.yml; not compared")
                continue
            found = differences(stored, rescore(session, rubric, label_transcript))
            if found:
                differing += 1
                print(f"{session.sender_id}: {len(found)} difference(s)")
                for line in found:
                    print(f"  {line}")
    if args.sender_ids and checked == 0:
        print(f"No scored session among {args.sender_ids}.", file=sys.stderr)
        return 1
    print(f"Re-scored {checked} session(s) in {time.perf_counter() - start:.1f} s: "
          f"{differing} with differences, {other_rubric} under another rubric.")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
