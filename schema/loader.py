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

from . import yaml12

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
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Document:
    """Plain data read from one file, with the position of every mapping key and value."""
    path: str
    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # the text as written of plain scalars YAML turned into numbers, dates or booleans
    raw: dict[tuple, str] = field(default_factory=dict)
    # plain scalars YAML 1.1 and 1.2 read differently: (field path, (line, column), text as
    # written, value in YAML 1.1); see schema/yaml12.py
    version_dependent: list[tuple[tuple, tuple[int, int], str, Any]] = field(default_factory=list)

    def version_problems(self) -> list[Problem]:
        """A problem for each plain scalar that YAML 1.1 and YAML 1.2 read differently."""
        return [Problem(self.path, line, column, ".".join(map(str, loc)),
                        yaml12.message(text, value))
                for loc, (line, column), text, value in self.version_dependent]

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


_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_CONSTRUCT = {  # plain scalars as YAML 1.1 safe_load reads them; nothing else is constructed
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}


def _plain(tag: str, value: str, mark: tuple[int, int]) -> Any:
    """The value of a plain scalar whose implicit tag is `tag` (constructors called directly:
    SafeConstructor.construct_object would keep every node it ever saw)."""
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    construct = _CONSTRUCT.get(tag)
    if construct is None:  # '<<' (merge key) or '=' (value key)
        raise ReadError(*mark, f"{value!r} has a special meaning in YAML and is not used in "
                        "records; put it in quotes if it is text")
    try:
        return construct(yaml.ScalarNode(tag, value))
    except (ValueError, OverflowError, yaml.YAMLError):
        return value


def _scalar(event) -> Any:
    if event.tag not in (None, "!"):
        raise ReadError(*_mark(event), f"tags such as {event.tag!r} are not allowed; "
                        "write plain values")
    if not event.style and event.tag is None:  # plain scalar (libyaml reports "", the Python parser None): resolve like YAML 1.1 safe_load (numbers, dates, null)
        value = event.value
        if value and value[0] not in _IMPLICIT_FIRST:
            return value  # cannot be anything but text
        tag = _TAGS.get(value)
        if tag is None:
            tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
            if len(_TAGS) < 10_000:  # 'none', 'not reported', '7B' ... recur in every record
                _TAGS[value] = tag
        return _plain(tag, value, _mark(event))
    return event.value


_TAGS: dict[str, str] = {}  # implicit tag of a plain scalar, by its text (bounded)
_SPLITS: dict[str, bool] = {}  # whether YAML 1.2 reads a plain scalar otherwise, by its text


def _split(text: str, value: Any) -> bool:
    """Whether the plain scalar `text`, `value` in YAML 1.1, reads otherwise in YAML 1.2."""
    found = _SPLITS.get(text)
    if found is None:
        found = yaml12.differs(text, value)
        if len(_SPLITS) < 10_000:  # as _TAGS
            _SPLITS[text] = found
    return found

# first characters of plain scalars that YAML may read as something other than text
_IMPLICIT_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)


def parse_text(text: str, path: str = "<string>") -> Document:
    """Parse YAML text into plain data, recording positions; raises ReadError."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), 1):
            if "\t" in line:
                raise ReadError(number, line.index("\t") + 1, "tab character; indent with spaces")
    return _parse_events(text, path)


_Scalar, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_CollectionEnd = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_Alias, _DocStart, _StreamEnd = yaml.AliasEvent, yaml.DocumentStartEvent, yaml.StreamEndEvent


def _parse_events(text: str, path: str) -> Document:
    """One pass over libyaml's events (no composer, no constructor): every event is checked
    as it streams by, so a bomb, a tag or deep nesting stops the read at once."""
    doc = Document(path, None)
    positions, raw = doc.positions, doc.raw
    loader = _Parser(text)
    next_event = loader.get_event
    stack: list[list] = []  # [container, its loc, pending key (mappings), is_dict]
    result: list[Any] = []
    key_mark: tuple[int, int] | None = None

    try:
        while True:
            event = next_event()
            cls = event.__class__
            if cls is _Scalar:
                if event.anchor:
                    raise ReadError(*_mark(event), _NO_ANCHORS)
                value = event.value
                split = False  # a plain scalar YAML 1.2 reads otherwise
                if event.tag is None and (event.style or (value and value[0] not in _IMPLICIT_FIRST)):
                    pass  # quoted, block or plain text that cannot be a number, date or null
                else:
                    value = _scalar(event)
                    split = event.tag is None and not event.style and _split(event.value, value)
                if not stack:
                    result.append(value)
                    continue
                top = stack[-1]
                mark = (event.start_mark.line + 1, event.start_mark.column + 1)
                if split:
                    part = (value if top[2] is None else top[2]) if top[3] else len(top[0])
                    doc.version_dependent.append((top[1] + (part,), mark, event.value, value))
                if top[3]:  # in a mapping
                    container, loc, key = top[0], top[1], top[2]
                    if key is None:  # this scalar is a key
                        if value.__class__ is not str and (
                                not isinstance(value, int) or isinstance(value, bool)):
                            raise ReadError(*mark, f"key {event.value!r} is read as "
                                            f"{_KINDS.get(type(value), 'a value')}, not a name; "
                                            "field names are plain words such as 'name' "
                                            "(quote it if it is text)")
                        if value in container:
                            first = positions[loc + (value,)][0]
                            raise ReadError(*mark, f"duplicate key {value!r} (first on line {first})")
                        top[2] = value
                        key_mark = mark
                        continue
                    top[2] = None
                    at = loc + (key,)
                    container[key] = value
                    positions[at] = key_mark or mark
                else:
                    container = top[0]
                    at = top[1] + (len(container),)
                    container.append(value)
                    positions[at] = mark
                if value is not None and value.__class__ is not str:
                    raw[at] = event.value
                key_mark = None
            elif cls is _MapStart or cls is _SeqStart:
                mark = (event.start_mark.line + 1, event.start_mark.column + 1)
                if event.anchor:
                    raise ReadError(*mark, _NO_ANCHORS)
                if event.tag not in (None, "!") and not event.implicit:
                    raise ReadError(*mark, f"tags such as {event.tag!r} are not allowed")
                if len(stack) >= MAX_DEPTH:
                    raise ReadError(*mark, f"nested deeper than {MAX_DEPTH} levels")
                is_dict = cls is _MapStart
                value = {} if is_dict else []
                if not stack:
                    result.append(value)
                    stack.append([value, (), None, is_dict])
                    positions[()] = mark
                    continue
                top = stack[-1]
                if top[3]:
                    key = top[2]
                    top[2] = None
                    at = top[1] + (key,)
                    top[0][key] = value
                    positions[at] = key_mark or mark
                else:
                    at = top[1] + (len(top[0]),)
                    top[0].append(value)
                    positions[at] = mark
                stack.append([value, at, None, is_dict])
                key_mark = None
            elif cls in _CollectionEnd:
                stack.pop()
            elif cls is _Alias:
                raise ReadError(*_mark(event), _NO_ANCHORS)
            elif cls is _DocStart:
                if result:
                    raise ReadError(*_mark(event), "only one YAML document per file; remove this "
                                    "'---' and everything after it (one record per file)")
            elif cls is _StreamEnd:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ReadError(line, col, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # e.g. a scalar libyaml cannot construct
        raise ReadError(0, 0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    doc.data = result[0] if result else None
    return doc


_NO_ANCHORS = "anchors and aliases (&, *) are not allowed; repeat the value instead"


def shown_path(path: Path, root: Path) -> str:
    """A file as messages name it: relative to the project root when it lies inside, else as given."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def read_file(path: Path, display: str | None = None, *, top: type = dict) -> Document | Problem:
    """Read and parse one file; a Problem for anything that is not a small UTF-8 YAML mapping
    (or, with top=list, a YAML list)."""
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
    if top is list and doc.data is None:  # only comments: no entries yet
        doc.data = []
    if top is list and not isinstance(doc.data, list):
        return Problem(name, 1, 1, "", "this file is a YAML list of entries, each starting with '- '")
    if top is dict and not isinstance(doc.data, dict):
        return Problem(name, 1, 1, "", "a record is a YAML mapping of field: value")
    return doc
