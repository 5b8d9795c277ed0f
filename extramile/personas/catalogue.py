"""Loading persona files: one catalogue that serves the action server, the web app and the tools.

Every problem found on load names the file, the line and the field, so a trainer can fix it
without reading Python. One bad file never hides the good ones. The catalogue parses a folder
again only when a file in it changes, and keeps every exact version a session has played (by
content hash), so a session always plays the version it started with.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extramile.files import FileError, FileProblem, line_of, parse_yaml, read_text
from extramile.personas.schema import Persona


@dataclass(frozen=True)
class LoadedPersona:
    """A validated persona with where it came from and the hash of its exact content."""

    persona: Persona
    path: Path
    content_hash: str
    content: str


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def parse_persona(content: str, path: Path) -> LoadedPersona:
    """Validate one persona file's text; raise FileError naming file, line and field."""
    persona, root = parse_yaml(content, path, Persona)
    if persona.id != path.stem:
        raise FileError(
            [
                FileProblem(
                    path,
                    line_of(root, ("id",)),
                    "id",
                    f"id '{persona.id}' must match the file name '{path.stem}.yml'",
                )
            ]
        )
    return LoadedPersona(persona, path, content_hash(content), content)


def load_persona_file(path: Path) -> LoadedPersona:
    """Read and validate one persona file; FileError for any problem, the file's own included
    (too big, not UTF-8, unreadable)."""
    return parse_persona(read_text(path), path)


def persona_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yml") if p.is_file())


def load_personas(paths: Iterable[Path]) -> tuple[dict[str, LoadedPersona], list[FileProblem]]:
    """Load every persona; return the valid ones by id and every problem in the others."""
    personas: dict[str, LoadedPersona] = {}
    problems: list[FileProblem] = []
    for path in paths:
        try:
            loaded = load_persona_file(Path(path))
        except FileError as error:
            problems.extend(error.problems)
        except Exception as error:  # whatever goes wrong, one file must never stop the others
            problems.append(FileProblem(Path(path), None, "(file)", f"cannot be loaded: {_describe(error)}"))
        else:
            if loaded.persona.id in personas:
                problems.append(
                    FileProblem(
                        loaded.path,
                        1,
                        "id",
                        f"id '{loaded.persona.id}' is already used by {personas[loaded.persona.id].path}",
                    )
                )
            else:
                personas[loaded.persona.id] = loaded
    return personas, problems


def _describe(error: Exception) -> str:
    text = str(error)
    text = text if len(text) <= 300 else text[:300] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _modified(path: Path) -> int:
    """The file's modification time, or -1 if it went away since the folder was listed."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


class PersonaCatalogue:
    """The personas in a folder, parsed again only when a file changes; safe across threads."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._signature: tuple[tuple[Path, int], ...] | None = None
        self._personas: dict[str, LoadedPersona] = {}
        self._problems: list[FileProblem] = []
        self._by_hash: dict[str, LoadedPersona] = {}

    def personas(self) -> dict[str, LoadedPersona]:
        """The valid personas by id."""
        return self._refresh()[0]

    def problems(self) -> list[FileProblem]:
        """What is wrong with the files that are not valid: each problem names the file, the line
        (None when the whole file is at fault), the field and what to change."""
        return self._refresh()[1]

    def version(self, persona_id: str, content: str) -> LoadedPersona:
        """An exact version of a persona (as a session stored it), parsed once per content."""
        digest = content_hash(content)
        with self._lock:
            known = self._by_hash.get(digest)
        if known is None:
            known = parse_persona(content, self.directory / f"{persona_id}.yml")
            with self._lock:
                self._by_hash[digest] = known
        return known

    def _refresh(self) -> tuple[dict[str, LoadedPersona], list[FileProblem]]:
        paths = persona_files(self.directory)
        signature = tuple((path, _modified(path)) for path in paths)
        with self._lock:
            if signature != self._signature:
                self._personas, self._problems = load_personas(paths)
                self._signature = signature
                self._by_hash.update({p.content_hash: p for p in self._personas.values()})
            return self._personas, self._problems
