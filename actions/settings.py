"""Settings from the environment, with `.env` in the project root read by python-dotenv.

Every setting has a default that works on one machine with no set-up; `.env.example` documents
each one.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    personas_dir: Path
    rubric_file: Path
    typing_scale: float


def load_settings() -> Settings:
    """Read settings; values already in the environment win over `.env`."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    typing_scale = os.environ.get("CUSTOMER_TYPING_SCALE", "1.0")
    try:
        scale = float(typing_scale)
    except ValueError:
        raise ValueError(
            f"CUSTOMER_TYPING_SCALE must be a number such as 1.0, not {typing_scale!r}"
        ) from None
    if scale < 0:
        raise ValueError(f"CUSTOMER_TYPING_SCALE must be 0 or more, not {scale}")
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "sqlite:///extramile.db"),
        personas_dir=Path(os.environ.get("PERSONAS_DIR", PROJECT_ROOT / "personas")),
        rubric_file=Path(os.environ.get("RUBRIC_FILE", PROJECT_ROOT / "rubric.yml")),
        typing_scale=scale,
    )
