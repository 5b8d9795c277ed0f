"""Lets each script run as `python scripts/NAME.py` from anywhere: puts the project on sys.path.

Also quiets TensorFlow's start-up log (spaCy's thinc imports it when it is installed, as it is
for Rasa), so the scripts print only what they are for.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))
