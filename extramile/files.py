"""YAML files that people edit (personas, the rubric): parse, validate, and say where it is wrong.

Every problem names the file, the line and the field, so the person who wrote the file can fix it
without reading Python. A file can never hurt the servers that load it: its size is checked before
it is read, and the loader refuses what could exhaust memory or the stack (aliases that repeat text,
deep nesting, huge numbers of values) as well as what nobody means to write (a key written twice).
"""

from __future__ import annotations

import stat
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

# The limits, generous for any persona or rubric a person writes (the shipped ones are under
# 7 KB, 6 levels, 300 values and no aliases), small enough that a file is parsed in well under
# a second and a few megabytes.
MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 20  # nested lists and mappings
MAX_ALIASES = 20  # *name uses: each repeats its anchor's content, the billion-laughs risk
MAX_VALUES = 20_000  # scalars, counting what every alias repeats
MAX_TEXT_CHARS = 4 * MAX_FILE_BYTES  # characters of text, counting what every alias repeats
MAX_INT_DIGITS = 100  # a bigger integer does not fit a float
MAX_PROBLEMS = 50  # reported per file: past that, the trainer fixes these first

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[str | int, ...]


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong in a file: the file, the line (None when it is the whole file), the field
    (`(file)` when it is no one field) and what to change."""

    path: Path
    line: int | None
    field: str
    message: str

    @property
    def file(self) -> str:
        return str(self.path)

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
    # A dict key of another type (null, a number) can appear in a location: name it all the same.
    parts = [f"[{p}]" if isinstance(p, int) else str(p) for p in loc if p != "__root__"]
    return ".".join(parts).replace(".[", "[") or "(file)"


def _kilobytes(size: int) -> str:
    return f"{-(-size // 1024):,} KB"  # rounded up: a file one byte over is not "256 KB"


def _too_big(path: Path, size: int | None, limit: int) -> FileError:
    what = f"the file is {_kilobytes(size)}," if size is not None else "the file is"
    return FileError(
        [
            FileProblem(
                path,
                None,
                "(file)",
                f"{what} over the limit of {_kilobytes(limit)} ({limit:,} bytes): shorten the long "
                "texts or remove alternatives until it fits",
            )
        ]
    )


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text; FileError if it is not a regular file, is over `limit` bytes (checked
    before reading), cannot be read, or is not UTF-8 (naming the line of the first bad byte)."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise FileError([FileProblem(path, None, "(file)", "not a regular file")])
        if status.st_size > limit:
            raise _too_big(path, status.st_size, limit)
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # the file may have grown since it was measured
    except OSError as error:
        raise FileError(
            [FileProblem(path, None, "(file)", f"cannot be read: {error.strerror or error}")]
        ) from None
    if len(data) > limit:
        raise _too_big(path, None, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"byte 0x{data[error.start]:02x} is not UTF-8: the file must be UTF-8 text "
            "(save it again with the encoding UTF-8)"
        )
        raise FileError([FileProblem(path, line, "(file)", message)]) from None


class _Refused(Exception):
    """YAML the loader will not build, at a line and a field of the file."""

    def __init__(self, mark: Any, loc: Location, message: str):  # PyYAML has two kinds of Mark
        super().__init__(message)
        self.line: int = mark.line + 1
        self.field = field_name(loc)
        self.message = message


_UNCHECKED_KEYS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}  # `<<` and `=` are no keys


class GuardedLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key written twice in one mapping, nesting deeper than
    MAX_DEPTH, more than MAX_ALIASES aliases, an alias inside its own anchor, and more than
    MAX_VALUES values or MAX_TEXT_CHARS characters once aliases are expanded.

    The checks run as each node is composed, before PyYAML recurses into it (and, for `[` and
    `{`, as the scanner meets them), so a file of 20,000 `[` stops at the 21st instead of
    overflowing the stack, and an alias bomb stops at its 21st alias instead of being expanded by
    whatever reads the data. Construct from the node `get_single_node` returns: composing twice
    would pay for the file twice."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._place: list[str | int] = []  # the field being composed, for the problem's `field`
        self._depth = 0
        self._aliases = 0
        self._values = 0
        self._chars = 0
        self._anchor_sizes: dict[str, tuple[int, int]] = {}  # values and characters an alias repeats
        self._open_anchors: set[str] = set()
        self._keys: dict[int, dict[Hashable, int]] = {}  # per mapping being composed: key -> line
        self.last_node: yaml.Node | None = None  # the node being constructed, to place odd errors

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        step = _step(parent, index)
        if step is not None:
            self._place.append(step)
        try:
            if isinstance(event, yaml.AliasEvent):
                self._count_alias(event)
                node = super().compose_node(parent, index)
            else:
                node = self._compose_counted(parent, index, event)
            if isinstance(parent, yaml.MappingNode) and index is None:
                self._check_key(parent, node)
            return node
        finally:
            if step is not None:
                self._place.pop()

    def fetch_flow_collection_start(self, TokenClass: type[yaml.Token]) -> None:
        # The scanner looks up to 1,024 characters ahead for a key after each `[` or `{`, which
        # costs most of a second on a line of `[`: stop there, before the composer sees them.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(self.get_mark(), (), _too_deep())
        super().fetch_flow_collection_start(TokenClass)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        self.last_node = node
        return super().construct_object(node, deep)

    def construct_whole_number(self, node: yaml.ScalarNode) -> int:
        # Python would build an integer of any size, and a float field would then overflow on it.
        if len(node.value) > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of more than {MAX_INT_DIGITS} digits", node.start_mark
            )
        number: int = super().construct_yaml_int(node)
        return number

    def _refuse(self, mark: Any, message: str, *more: str | int) -> _Refused:
        return _Refused(mark, (*self._place, *more), message)

    def _compose_counted(self, parent: yaml.Node | None, index: Any, event: yaml.Event) -> yaml.Node | None:
        nests = isinstance(event, yaml.CollectionStartEvent)
        if nests and self._depth >= MAX_DEPTH:
            raise self._refuse(event.start_mark, _too_deep())
        before = (self._values, self._chars)
        if isinstance(event, yaml.ScalarEvent):
            self._count(1, len(event.value), event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open_anchors.add(anchor)
        self._depth += nests
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= nests
            self._open_anchors.discard(anchor)
        if anchor is not None:
            self._anchor_sizes[anchor] = (self._values - before[0], self._chars - before[1])
        self._keys.pop(id(node), None)
        return node

    def _count_alias(self, event: yaml.AliasEvent) -> None:
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise self._refuse(
                event.start_mark,
                f"more than {MAX_ALIASES} aliases (*{event.anchor}): write the text out where it is "
                "needed instead of repeating it with aliases",
            )
        if event.anchor in self._open_anchors:
            raise self._refuse(
                event.start_mark,
                f"the alias *{event.anchor} is inside its own anchor &{event.anchor}, "
                "which would repeat it without end",
            )
        values, chars = self._anchor_sizes.get(event.anchor or "", (0, 0))  # PyYAML names undefined ones
        self._count(values, chars, event.start_mark)

    def _count(self, values: int, chars: int, mark: Any) -> None:
        self._values += values
        self._chars += chars
        if self._values > MAX_VALUES:
            raise self._refuse(
                mark,
                f"more than {MAX_VALUES:,} values (an alias counts as everything it repeats): "
                "remove alternatives",
            )
        if self._chars > MAX_TEXT_CHARS:
            raise self._refuse(
                mark,
                f"more than {MAX_TEXT_CHARS:,} characters of text (an alias counts as everything it "
                "repeats): shorten the texts",
            )

    def _check_key(self, mapping: yaml.MappingNode, key_node: yaml.Node | None) -> None:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag in _UNCHECKED_KEYS:
            return
        key = self.construct_object(key_node)  # `1` and `0x1`, or `yes` and `true`, are one key
        if not isinstance(key, Hashable):
            return
        seen = self._keys.setdefault(id(mapping), {})
        line = key_node.start_mark.line + 1
        if key in seen:
            raise self._refuse(
                key_node.start_mark,
                f"{key_node.value!r} is written twice in the same place (first at line {seen[key]}): "
                "keep one, because the second would silently replace the first",
                key_node.value,
            )
        seen[key] = line


GuardedLoader.add_constructor("tag:yaml.org,2002:int", GuardedLoader.construct_whole_number)


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep: check the brackets and the indentation here"


def _step(parent: yaml.Node | None, index: Any) -> str | int | None:
    """The field a node is at within its parent: a list position, or a mapping value's key."""
    if isinstance(index, int):
        return index
    if isinstance(index, yaml.ScalarNode):
        return str(index.value)
    return "?" if isinstance(index, yaml.Node) else None  # a key is placed at its mapping


def _size(content: str) -> int:
    return len(content) if content.isascii() else len(content.encode("utf-8", errors="surrogatepass"))


def load_yaml(content: str, path: Path) -> tuple[Any, yaml.Node | None]:
    """The data in YAML text and its root node, composed once with GuardedLoader; FileError if
    the text is too big, not valid YAML or refused by the loader."""
    if _size(content) > MAX_FILE_BYTES:
        raise _too_big(path, _size(content), MAX_FILE_BYTES)
    loader: GuardedLoader | None = None
    try:
        loader = GuardedLoader(content)  # reads every character first: refuses those YAML forbids
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    except _Refused as refused:
        raise FileError([FileProblem(path, refused.line, refused.field, refused.message)]) from None
    except yaml.YAMLError as error:
        raise FileError(
            [FileProblem(path, _yaml_error_line(error, content), "(file)", f"not valid YAML: {error}")]
        ) from None
    except Exception as error:  # PyYAML lets a few bad values out as other errors: a 13th month
        node = loader.last_node if loader is not None else None
        line = node.start_mark.line + 1 if node is not None else None
        raise FileError([FileProblem(path, line, "(file)", f"not valid YAML: {error}")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_error_line(error: yaml.YAMLError, content: str) -> int | None:
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow, by position
        return content.count("\n", 0, error.position) + 1
    mark = getattr(error, "problem_mark", None)
    return mark.line + 1 if mark else None


def parse_yaml(content: str, path: Path, model: type[Model]) -> tuple[Model, yaml.Node | None]:
    """Validate YAML text against a pydantic model; raise FileError naming file, line, field."""
    data, root = load_yaml(content, path)
    if not isinstance(data, dict):
        raise FileError([FileProblem(path, 1, "(file)", "the file must be a YAML mapping of fields")])
    try:
        return model.parse_obj(data), root
    except ValidationError as error:
        errors = error.errors()
        problems = [
            FileProblem(path, line_of(root, tuple(e["loc"])), field_name(tuple(e["loc"])), e["msg"])
            for e in errors[:MAX_PROBLEMS]
        ]
        if len(errors) > MAX_PROBLEMS:
            more = len(errors) - MAX_PROBLEMS
            problems.append(
                FileProblem(path, None, "(file)", f"{more:,} more problems: fix the ones above first")
            )
        raise FileError(problems) from None
    except Exception as error:  # a validator's slip must not escape as a crash of whoever loads the file
        message = f"cannot be checked: {type(error).__name__}: {error}"
        raise FileError([FileProblem(path, None, "(file)", message)]) from None
