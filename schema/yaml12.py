"""Plain scalars that YAML 1.1 and YAML 1.2 read differently.

`mmllm` reads records as YAML 1.1 does (PyYAML); editors (yaml-language-server) and most other
parsers (the `yaml` package of npm, go-yaml v3, ruamel.yaml) read YAML 1.2, whose core schema
turns fewer plain scalars into something other than text: `0801` is text in 1.1 but the number
801 in 1.2, `yes`/`on` are true in 1.1 but text in 1.2, `017` is 15 (octal) in 1.1 but 17 in
1.2, `1:20` is 80 (base 60) in 1.1 but text in 1.2, `2024-01-02` a date in 1.1 but text in
1.2. A record must mean the same to every reader, so such a scalar is written in quotes.

The YAML 1.2 side is the core schema of the specification (YAML 1.2.2, section 10.3.2), as the
`yaml` package implements it; tests/test_js_tools.py checks the two agree.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

_CORE = re.compile(r"""
    (?P<null> ~ | null | Null | NULL | )
  | (?P<bool> true | True | TRUE | false | False | FALSE )
  | (?P<int> [-+]? [0-9]+ )
  | (?P<oct> 0o [0-7]+ )
  | (?P<hex> 0x [0-9a-fA-F]+ )
  | (?P<float> [-+]? (?: \.[0-9]+ | [0-9]+ (?: \.[0-9]* )? ) (?: [eE] [-+]? [0-9]+ )? )
  | (?P<inf> [-+]? \. (?: inf | Inf | INF ) )
  | (?P<nan> \. (?: nan | NaN | NAN ) )
""", re.X)

_CONVERT = {
    "null": lambda t: None,
    "bool": lambda t: t[0] in "tT",
    "int": int,
    "oct": lambda t: int(t[2:], 8),
    "hex": lambda t: int(t[2:], 16),
    "float": float,
    "inf": lambda t: -math.inf if t[0] == "-" else math.inf,
    "nan": lambda t: math.nan,
}


def read_12(text: str) -> Any:
    """The value of the plain scalar `text` under YAML 1.2's core schema."""
    match = _CORE.fullmatch(text)
    return _CONVERT[match.lastgroup](text) if match else text


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"  # one kind, as in JSON and JavaScript: 1.0 and 1 are the same
    if isinstance(value, (dt.date, dt.datetime)):
        return "date"  # YAML 1.2's core schema has no dates
    return "text"


def same(value_11: Any, value_12: Any) -> bool:
    kind = _kind(value_11)
    if kind != _kind(value_12):
        return False
    if kind == "number" and math.isnan(value_11):
        return math.isnan(value_12)
    return value_11 == value_12


def differs(text: str, value_11: Any) -> bool:
    """Whether the plain scalar `text`, which YAML 1.1 reads as `value_11`, reads otherwise
    under YAML 1.2."""
    return not same(value_11, read_12(text))


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _shown(value: Any) -> str:
    kind = _kind(value)
    if kind == "text":
        return f"the text {quoted(value)}"
    if kind == "bool":
        return f"{str(value).lower()} (a yes/no value)"
    if kind == "date":
        return f"the date {value.isoformat()}"
    if kind == "null":
        return "empty (null)"
    return f"the number {value!r}"


def message(text: str, value_11: Any) -> str:
    """What `mmllm validate` says about a plain scalar that differs, with the quoted form."""
    value_12 = read_12(text)
    hint = f"put it in quotes: {quoted(text)}"
    kind = _kind(value_11)
    if kind == "bool":
        hint += f", or write {str(value_11).lower()} if a yes/no value is meant"
    elif kind == "number" and math.isfinite(value_11):
        hint += f", or write {value_11!r} if that number is meant"
    return (f"{text} reads as {_shown(value_11)} in YAML 1.1 (mmllm, PyYAML) but as "
            f"{_shown(value_12)} in YAML 1.2 (editors, JavaScript); {hint}")
