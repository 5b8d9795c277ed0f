"""Shared fixtures: settings, the shipped personas, the trained labeller, fresh SQLite and
PostgreSQL databases, and the servers for the end-to-end and browser suites."""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import hypothesis
import pytest
import sqlalchemy

from extramile.detectors import Labeller
from extramile.devserver import Services, on_free_ports
from extramile.personas import LoadedPersona, PersonaCatalogue
from extramile.scoring import Rubric, load_rubric
from extramile.scoring.scorer import Scorer
from extramile.settings import PROJECT_ROOT, Settings, load_settings
from extramile.store import migrate

# Property-based tests draw the same examples on every run (a fixed seed, as everywhere in the
# project), so CI never meets a new input by chance; the deadlines each test sets still hold.
hypothesis.settings.register_profile("extramile", derandomize=True, database=None)
hypothesis.settings.load_profile("extramile")

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's own files, whatever `.env` or the environment point at."""
    return load_settings(
        personas_dir=PROJECT_ROOT / "personas",
        rubric_file=PROJECT_ROOT / "rubric.yml",
        models_dir=PROJECT_ROOT / "models",
        nlu_data=PROJECT_ROOT / "data" / "nlu.yml",
    )


@pytest.fixture(scope="session")
def personas(settings: Settings) -> dict[str, LoadedPersona]:
    catalogue = PersonaCatalogue(settings.personas_dir)
    assert not catalogue.problems(), "\n".join(str(p) for p in catalogue.problems())
    return catalogue.personas()


@pytest.fixture(scope="session")
def labeller(settings: Settings) -> Labeller:
    """The labeller with the models `make train` stored (make test trains them first)."""
    return Labeller.load(settings.detector_models)


@pytest.fixture(scope="session")
def rubric(settings: Settings) -> Rubric:
    return load_rubric(settings.rubric_file)


@pytest.fixture(scope="session")
def scorer(rubric: Rubric, labeller: Labeller) -> Scorer:
    return Scorer(rubric, labeller)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'extramile.db'}"
    migrate(url)
    return url


@contextmanager
def _new_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; skips when no server answers."""
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"em_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except sqlalchemy.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error}")
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def new_postgres_database() -> Callable[[], AbstractContextManager[str]]:
    """Make throw-away PostgreSQL databases: `with new_postgres_database() as url: ...`."""
    return _new_postgres_database


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with _new_postgres_database() as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def trained_models() -> None:
    """The Rasa model and the detectors' models, trained first if older than their data."""
    subprocess.run(["make", "-s", "train"], cwd=PROJECT_ROOT, check=True)


@pytest.fixture(scope="session")
def start_servers(settings: Settings, trained_models: None) -> Callable[..., Services]:
    """Servers on free ports over a database, with trained models:
    `with start_servers(url, log_dir, web=True, typing_scale=...) as services: ...`. Each start
    has its own SECRET_KEY (override it with secret_key=...): `services.settings.secret_key`
    signs the chat tokens the servers accept."""

    def start(database_url: str, log_dir: Path, web: bool, **overrides: object) -> Services:
        migrate(database_url)
        overrides.setdefault("secret_key", secrets.token_urlsafe(32))
        local = on_free_ports(settings, database_url=database_url, **overrides)
        return Services(local, web=web, log_dir=log_dir)

    return start
