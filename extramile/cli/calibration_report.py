"""Score the calibration suite and print how the scorecards agree with the trainers:
`extramile calibration-report [DIR]` (default: tests/calibration).

For each conversation: whether it keeps the suite's rules, and every problem and miss; then the
figures the README reports: conversations agreeing, pass/fail right, score bands met, and event
recall and precision (expected events on the card; of the card's events the trainers named, the
share they expected rather than struck).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extramile.calibration import SuiteFigures, check, load_cases
from extramile.cli.nlu import RasaActs
from extramile.personas import PersonaCatalogue
from extramile.scoring.scorer import Scorer
from extramile.settings import PROJECT_ROOT, load_settings
from extramile.transcript_file import to_transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="extramile calibration-report", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=PROJECT_ROOT / "tests" / "calibration")
    parser.add_argument("--quiet", action="store_true", help="only the figures and disagreements")
    args = parser.parse_args(argv)
    settings = load_settings()
    personas = PersonaCatalogue(settings.personas_dir).personas()
    scorer = Scorer.load(settings)
    read_acts = RasaActs(settings.rasa_model)
    results = []
    for case in load_cases(args.folder.glob("*.json")):
        card = scorer.score(to_transcript(case, personas[case.persona].persona, read_acts))
        result = check(case, card)
        results.append((case, card, result))
        if not result.agrees or not args.quiet:
            overall = "-" if card.overall is None else f"{card.overall:g}"
            print(f"{'ok ' if result.agrees else 'NO '} {case.id}: overall {overall}, passed {card.passed}")
            for problem in result.problems:
                print(f"      problem: {problem}")
            for miss in [] if args.quiet else result.misses:
                print(f"      miss: {miss}")
    figures = SuiteFigures.of(results)
    print(
        f"\n{figures.agreeing} of {figures.cases} conversations agree with the trainers; pass/fail right "
        f"in {figures.pass_fail_right}; score bands met {figures.bands:.3f}; event recall "
        f"{figures.event_recall:.3f}, precision {figures.event_precision:.3f}"
    )
    return 0 if figures.agreeing == figures.cases else 1
