"""The versions of what computes a scorecard: the scoring code and the detectors, by content.

A hash of the source files (and word lists) rather than a number someone must remember to bump:
any change to how scores are computed shows up as a new version, so re-scoring a stored session
can say whether a difference comes from a changed scorer or detector, retrained models or
an edited rubric, rather than from a regression.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def source_hash(*paths: Path) -> str:
    """A short hash of the Python files at these paths (files, or folders searched recursively)."""
    digest = hashlib.sha256()
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.py")))
    for file in files:
        digest.update(str(file.relative_to(PACKAGE)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


# Everything a score depends on besides the detectors: the skills, the temperament model, the
# transcript, the one reading of each message and the vocabulary.
SCORER_VERSION = source_hash(
    PACKAGE / "scoring",
    PACKAGE / "temperaments.py",
    PACKAGE / "transcript.py",
    PACKAGE / "reading.py",
    PACKAGE / "vocab.py",
)
DETECTORS_VERSION = source_hash(PACKAGE / "detectors")
