"""YAML files that people edit (personas, the rubric): parse, validate, and say where it is wrong.

Every problem names the file, the line and the field, so the person who wrote the file can fix it
without reading Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[str | int, ...]


@dataclass(frozen=True)
class FileProblem:
    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}"


class FileError(Exception):
    """A file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def line_of(node: yaml.Node | None, loc: Location) -> int | None:
    """The 1-based line of the field at `loc`, or of its nearest parent when it is missing."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                return line
            node, line = pair[1], pair[0].start_mark.line + 1  # the key's line reads best
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def field_name(loc: Location) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else p for p in loc if p != "__root__"]
    return ".".join(parts).replace(".[", "[") or "(file)"


def parse_yaml(content: str, path: Path, model: type[Model]) -> tuple[Model, yaml.Node | None]:
    """Validate YAML text against a pydantic model; raise FileError naming file, line, field."""
    try:
        data: Any = yaml.safe_load(content)
        root: yaml.Node | None = yaml.compose(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise FileError([FileProblem(path, line, "(file)", f"not valid YAML: {error}")]) from None
    if not isinstance(data, dict):
        raise FileError([FileProblem(path, 1, "(file)", "the file must be a YAML mapping of fields")])
    try:
        return model.parse_obj(data), root
    except ValidationError as error:
        raise FileError(
            [
                FileProblem(path, line_of(root, tuple(e["loc"])), field_name(tuple(e["loc"])), e["msg"])
                for e in error.errors()
            ]
        ) from None
