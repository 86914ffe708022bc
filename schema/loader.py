"""Strict loading of record files: YAML text -> plain data with positions -> validated records.

Records are written by people and arrive by pull request, so reading is deliberately narrow:
no duplicate keys, anchors, aliases or tags (no YAML bombs, nothing constructed but plain
data), no tabs, UTF-8 only, no NUL bytes, bounded size and depth. Every problem becomes a
`Problem` carrying file, line, column and field path; nothing here raises on bad input.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 24

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when present
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int
    field: str  # dotted field path, '' for the file itself
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Document:
    """Plain data read from one file, with the position of every mapping key and value."""
    path: str
    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # the text as written of plain scalars YAML turned into numbers, dates or booleans
    raw: dict[tuple, str] = field(default_factory=dict)

    def position(self, loc: Iterable) -> tuple[int, int]:
        """Line and column of the deepest part of `loc` present in the file."""
        loc = tuple(loc)
        while loc and loc not in self.positions:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))


class ReadError(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


_KINDS = {bool: "true/false", int: "a number", float: "a number", type(None): "empty"}


def _mark(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _scalar(event) -> Any:
    if event.tag not in (None, "!"):
        raise ReadError(*_mark(event), f"tags such as {event.tag!r} are not allowed; "
                        "write plain values")
    if not event.style:  # plain scalar (libyaml reports "", the Python parser None): resolve like YAML 1.1 safe_load (numbers, dates, null)
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        return _constructor.construct_object(yaml.ScalarNode(tag, event.value))
    return event.value


def parse_text(text: str, path: str = "<string>") -> Document:
    """Parse YAML text into plain data, recording positions; raises ReadError."""
    for number, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            raise ReadError(number, line.index("\t") + 1, "tab character; indent with spaces")
    doc = Document(path, None)
    events = yaml.parse(text, Loader=_Parser)
    stack: list[tuple[Any, tuple, Any]] = []  # (container, its loc, pending key for mappings)
    result: list[Any] = []
    pending_key_mark: tuple[int, int] | None = None

    def attach(value: Any, loc_key: Any, mark: tuple[int, int]) -> tuple:
        container, loc, _ = stack[-1]
        if isinstance(container, list):
            loc = loc + (len(container),)
            container.append(value)
            doc.positions[loc] = mark
        else:
            loc = loc + (loc_key,)
            container[loc_key] = value
            doc.positions[loc] = pending_key_mark or mark
        return loc

    try:
        for event in events:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ReadError(*_mark(event), "anchors and aliases (&, *) are not allowed; "
                                "repeat the value instead")
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                if result:
                    raise ReadError(*_mark(event), "only one YAML document per file; remove this '---' "
                                    "and everything after it (one record per file)")
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if event.tag not in (None, "!") and not event.implicit:
                    raise ReadError(*_mark(event), f"tags such as {event.tag!r} are not allowed")
                if len(stack) >= MAX_DEPTH:
                    raise ReadError(*_mark(event), f"nested deeper than {MAX_DEPTH} levels")
                value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                if not stack:
                    result.append(value)
                    stack.append((value, (), None))
                    doc.positions[()] = _mark(event)
                    continue
                container, loc, key = stack[-1]
                if isinstance(container, dict):
                    stack[-1] = (container, loc, None)
                new_loc = attach(value, key, _mark(event))
                stack.append((value, new_loc, None))
                pending_key_mark = None
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if not stack:
                    result.append(value)
                    continue
                container, loc, key = stack[-1]
                if isinstance(container, dict) and key is None:
                    if not isinstance(value, (str, int)) or isinstance(value, bool):
                        raise ReadError(*_mark(event), f"key {event.value!r} is read as "
                                        f"{_KINDS.get(type(value), 'a value')}, not a name; field names are "
                                        "plain words such as 'name' (quote it if it is text)")
                    if value in container:
                        first = doc.positions[loc + (value,)][0]
                        raise ReadError(*_mark(event), f"duplicate key {value!r} (first on line {first})")
                    stack[-1] = (container, loc, value)
                    pending_key_mark = _mark(event)
                    continue
                if isinstance(container, dict):
                    stack[-1] = (container, loc, None)
                at = attach(value, key, _mark(event))
                if not isinstance(value, str) and value is not None:
                    doc.raw[at] = event.value
                pending_key_mark = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ReadError(line, col, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # e.g. a scalar libyaml cannot construct
        raise ReadError(0, 0, f"not valid YAML: {exc}") from None
    doc.data = result[0] if result else None
    return doc


def read_file(path: Path, display: str | None = None) -> Document | Problem:
    """Read and parse one file; a Problem for anything that is not a small UTF-8 YAML mapping."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Problem(name, 0, 0, "", f"file is {size:,} bytes; records are at most {MAX_BYTES:,}")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(name, 0, 0, "", f"cannot read file: {exc.strerror}")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return Problem(name, line, 1, "", "NUL byte: this is not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(name, line, 1, "", "not UTF-8 text; save the file as UTF-8")
    try:
        doc = parse_text(text.removeprefix("\ufeff"), name)
    except ReadError as err:
        return Problem(name, err.line, err.column, "", err.message)
    if not isinstance(doc.data, dict):
        return Problem(name, 1, 1, "", "a record is a YAML mapping of field: value")
    return doc


# -- validation errors -> Problems (in schema/messages.py) ---------------------------------

from .messages import problems_from_validation  # noqa: E402  (re-exported for callers)
