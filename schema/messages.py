"""pydantic validation errors -> `Problem`s a contributor can act on.

Every message says what was found (the bad value, as written in the file when YAML turned it
into a number or a date), what is expected, and, where one exists, a suggestion. A field that
may be a word ('none', 'unknown', 'not reported') or a list/mapping gets one message, not one
per union branch.
"""
from __future__ import annotations

import difflib
import functools
import re
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .loader import Document, Problem


_WORD_MEANING = {"none": "none (verified absent)", "unknown": "unknown (nobody reported it)",
                 "not reported": "'not reported'"}

# what a text field holds, by field name, for messages about wrong types and patterns
_WANT = {
    "id": "a lower-case slug of letters, digits and '-' (the file name without .yaml)",
    "arxiv": "an arXiv id like '2304.08485'",
    "sizes": "a size like '7B' or '350M'",
    "amount": "an amount like '129M', '0.6M' or '600K'",
    "url": "a http(s) URL", "source": "a http(s) URL", "code": "a http(s) URL",
    "project": "a http(s) URL", "weights": "a http(s) URL", "demo": "a http(s) URL",
    "date": "a date written 'YYYY-MM-DD', e.g. '2023-04-17'",
    "added": "the day you add the record, written 'YYYY-MM-DD'",
}

_PATTERN_WANT = {"^https?://": "a http(s) URL (only http:// and https:// links are allowed)",
                 r"^[0-9]{4}\.[0-9]{4,5}$": _WANT["arxiv"],
                 "^[a-z0-9]": "a lower-case slug of letters, digits and '-'",
                 r"[MBT]$": _WANT["sizes"], "KMBT": _WANT["amount"],
                 r"\x00-\x1f": "one line of text without control characters"}

_MISSING_HINT = {
    "id": "the file name without .yaml",
    "name": "the name as the source prints it",
    "date": "the first public release, 'YYYY-MM-DD'",
    "added": "the day you add the record, 'YYYY-MM-DD'",
    "io": "a mapping with input: [...] and output: [...] modalities",
    "functional": "a list: [understanding], [generation] or both",
    "design": "end-to-end, tool-using or unknown",
    "sources": "a list of sources, each `- url: https://...`",
    "title": "the paper's title", "url": "a http(s) URL",
    "input": "a list of modalities, e.g. [image, text]",
    "output": "a list of modalities, e.g. [text]",
    "modalities": "a list of modalities, e.g. [image]",
    "types": "a list of projector types, e.g. [linear]",
    "amount": "an amount like '129M'", "benchmark": "a benchmark key such as VQAv2 (listed in CONTRIBUTING.md)",
    "score": "a number", "source_kind": "the kind of source, e.g. paper",
    "source": "the http(s) URL of the page that states it",
}


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


@functools.cache
def _union_tags(model: type[BaseModel]) -> frozenset[str]:
    """pydantic names union branches in error locations by class name: the names of every
    model reachable from `model` (for any record kind), which are never record fields."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        for info in m.model_fields.values():
            todo += _models_in(info.annotation)
    return frozenset(m.__name__ for m in seen)


def _models_at(model: type[BaseModel], loc: tuple) -> list[type[BaseModel]]:
    current = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt = []
        for m in current:
            if part in m.model_fields:
                nxt += _models_in(m.model_fields[part].annotation)
        current = nxt
    return current


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at `loc` inside `model`, for 'did you mean' on unknown keys."""
    return sorted({name for m in _models_at(model, loc) for name in m.model_fields})


def _fields_text(m: type[BaseModel]) -> str:
    req = [n for n, f in m.model_fields.items() if f.is_required()]
    opt = [n for n, f in m.model_fields.items() if not f.is_required()]
    if not req:
        return ", ".join(opt) + " (all optional)"
    return ", ".join(req) + (f" (optional: {', '.join(opt)})" if opt else "")


def _close(value: Any, choices: Iterable[str]) -> str | None:
    if not isinstance(value, str):
        return None
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _suggest(value: Any, choices: Iterable[str]) -> str:
    best = _close(value, choices)
    return f" (did you mean {best!r}?)" if best else ""


def _show(value: Any, doc: Document, loc: tuple) -> str:
    """The value as the contributor wrote it, short."""
    if loc in doc.raw:
        return doc.raw[loc]
    text = repr(value)
    return text if len(text) <= 80 else text[:60] + "…" + text[-10:]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    if hasattr(value, "isoformat"):
        return "a date"
    return "text"


def _subject(loc: tuple) -> str:
    """'sources' for the field, 'each item of sources' for a list item."""
    field = _field_name(loc)
    return f"each item of {field}" if loc and isinstance(loc[-1], int) else field


def _required(model: type[BaseModel], loc: tuple) -> bool:
    parents = _models_at(model, loc[:-1])
    return any(loc[-1] in m.model_fields and m.model_fields[loc[-1]].is_required()
               for m in parents)


def _field_name(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else ""


def _pattern_suggestion(value: str, pattern: str, field: str) -> str:
    if "https?" in pattern:
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) and not value.lower().startswith("http"):
            return f"; the {value.split(':', 1)[0]}: scheme is not allowed"
        if re.match(r"^(www\.|[\w-]+\.[a-z]{2,})", value, re.I):
            return f" (did you mean 'https://{value}'?)"
        if re.search(r"\s", value):
            return "; a URL has no spaces (write them as %20)"
        return ""
    if r"[0-9]{4}\.[0-9]{4,5}" in pattern:
        found = re.search(r"[0-9]{4}\.[0-9]{4,5}", value)
        return f" (did you mean '{found.group(0)}'?)" if found else ""
    if pattern.startswith("^[a-z0-9]"):
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:80]
        return f" (did you mean '{slug}'?)" if slug and slug != value else ""
    if pattern.endswith(("[MBT]$", "[KMBT]?$")):
        fixed = value.strip().upper().replace(" ", "")
        if re.match(pattern, fixed):
            return f" (did you mean '{fixed}'?)"
    return ""


def _message(err: dict, model: type[BaseModel], doc: Document) -> str:
    kind, loc, value = err["type"], err["loc"], err.get("input")
    ctx = err.get("ctx") or {}
    field = _field_name(loc)
    shown = _show(value, doc, loc)
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _fields_at(model, loc[:-1])
        return f"unknown field {key!r}{_suggest(key, allowed)}; allowed here: {', '.join(allowed)}"
    if kind == "missing":
        hint = _MISSING_HINT.get(field) or (model.model_fields[field].description
                                            if field in model.model_fields else None)
        return f"required field {field!r} is missing" + (f"; add {field}: {hint}" if hint else "")
    if value is None:  # `field:` or `- ` with nothing after it
        if loc and isinstance(loc[-1], int):
            return "the list item is empty; write a value or delete the item"
        if not _required(model, loc):
            return f"the value is empty; write a value or leave {field} out"
        hint = _MISSING_HINT.get(field) or (model.model_fields[field].description
                                            if field in model.model_fields else None)
        return f"the value is empty; write {hint or 'a value'}"
    if kind == "literal_error":
        expected = [e.strip().strip("'") for e in
                    ctx["expected"].replace(" or ", ", ").split(", ")]
        if len(expected) == 1:
            return f"{shown} is not allowed here; expected {expected[0]!r}"
        return (f"{shown} is not a known value{_suggest(value, expected)}; "
                f"expected one of: {', '.join(expected)}")
    if kind == "string_pattern_mismatch":
        pattern = ctx["pattern"]
        want = next((h for p, h in _PATTERN_WANT.items() if p in pattern), f"text matching {pattern}")
        return f"{shown} is not {want}{_pattern_suggestion(value, pattern, field)}"
    if kind == "string_type":
        want = _WANT.get(field, "text")
        if loc in doc.raw and field in ("sizes", "amount"):
            return (f"{shown} is read as {_kind(value)}, but {_subject(loc)} is {want}; "
                    "write it in quotes with its unit")
        if loc in doc.raw:
            return (f"{shown} is read as {_kind(value)}, but {_subject(loc)} is {want}; "
                    f"put it in quotes: '{doc.raw[loc]}'")
        return f"{shown} is {_kind(value)}, but {_subject(loc)} is {want}"
    if kind == "string_too_long":
        return (f"text of {len(value)} characters ({shown}); at most "
                f"{ctx['max_length']} characters")
    if kind == "string_too_short":
        return f"{shown} is empty; write a value or leave the field out"
    if kind == "list_type":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return f"{shown} is a single value, but {field} is a list; write [{value}]"
        return f"{shown} is {_kind(value)}, but {field} is a list"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        what = "one item" if least == 1 else f"{least} items"
        if _required(model, loc):
            return f"{shown} is an empty list; {field} needs at least {what}"
        return f"{shown} is an empty list; list at least {what} or leave {field} out"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number; {field} is a number such as 336, without units"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{shown} is not a number; write it without units or '%', e.g. 80.5"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}
        bound = next(iter(ctx.values()))
        return f"{shown} is out of range; {field} must be {words[kind]} {bound}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} is not true or false; leave the field out if it is not reported"
    if kind.startswith(("date_", "datetime_")):
        reason = err["msg"].split(", ", 1)[1] if ", " in err["msg"] else ""
        return (f"{shown} is not a date{f' ({reason})' if reason else ''}; write 'YYYY-MM-DD', "
                "e.g. '2023-04-17'")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        models = _models_at(model, loc)
        fields = f" with fields {_fields_text(models[0])}" if models else ""
        hint = ""
        if isinstance(value, str) and value in ("unknown", "none", "not reported"):
            hint = f"; leave {field} out when nothing is known"
        elif isinstance(value, str) and field == "sources":
            hint = f"; write `- url: {value}`"
        return f"{shown} is {_kind(value)}, but {_subject(loc)} is a mapping{fields}{hint}"
    msg = err["msg"].removeprefix("Value error, ")
    if kind != "value_error":  # a check without its own wording here: still name the value
        return f"{shown}: {msg[0].lower()}{msg[1:]}"
    if msg == "values must not repeat" and isinstance(value, list):
        dupes = sorted({repr(v) for v in value if value.count(v) > 1})
        return f"{', '.join(dupes)} listed more than once; list each value once"
    return msg


# model-level checks name their field in the message; point at that field
_MODEL_LEVEL = [(re.compile(r"^date \S+ is after added"), "date"),
                (re.compile(r"lists `tools`"), "tools"),
                (re.compile(r"^score \S+ is outside"), "score"),
                (re.compile(r"^printed_scale \S+ is not a scale"), "printed_scale"),
                (re.compile(r"^printed .* does not read as the score"), "printed")]
_MODEL_LEVEL_HINT = {"date": "; the release date cannot be later than the day the record was added"}


def _relocate(loc: tuple, message: str) -> tuple:
    for pattern, name in _MODEL_LEVEL:
        if pattern.search(message):
            return loc + (name,)
    return loc


def _union_message(errs: list[dict], model: type[BaseModel], doc: Document, loc: tuple) -> str:
    """One message for a field that is a word ('none', 'unknown', ...) or a list/mapping."""
    lit = next(e for e in errs if e["type"] == "literal_error")
    words = [e.strip().strip("'") for e in lit["ctx"]["expected"].replace(" or ", ", ").split(", ")]
    value = lit.get("input")
    shown = _show(value, doc, loc)
    field = _field_name(loc)
    models = _models_at(model, loc)
    fields = _fields_text(models[0]) if models else ""
    is_list = any(e["type"] in ("list_type", "too_short") for e in errs)
    choices = " or ".join(_WORD_MEANING.get(w, repr(w)) for w in words)
    what = (f"a list of entries, each with {fields}" if is_list
            else f"a mapping with {fields}")
    if _close(value, words):
        hint = ""  # the "did you mean" says it
    elif isinstance(value, str) and value.lower() in _WORD_MEANING:
        hint = f"; {field} cannot be {value!r}" + (
            ": every MM-LLM has an LLM backbone" if field == "llm_backbone" else "") + (
            f"; write {words[0]!r} when no source states it" if len(words) == 1 else "")
    elif is_list and isinstance(value, dict):
        hint = "; a single entry is still a list: put '- ' before its first key"
    elif is_list and value == []:
        hint = f"; an empty list says nothing: write {words[0]!r} or list the parts"
    elif is_list and isinstance(value, str):
        hint = f"; to name a part write a list item such as `- name: {value}` with its other fields"
    elif not is_list and isinstance(value, str):
        hint = f"; e.g. {field}: {{amount: '129M', unit: image-text pairs}}"
    else:
        hint = ""
    return (f"{shown} is not a known value{_suggest(value, words)}; expected {choices}, "
            f"or {what}{hint}")


def problems_from_validation(doc: Document, exc: ValidationError,
                             model: type[BaseModel]) -> list[Problem]:
    by_loc: dict[tuple, list[dict]] = {}
    tags = _union_tags(model)
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and
                    (p.startswith(("list[", "literal[", "function-")) or p in tags)))
        by_loc.setdefault(loc, []).append({**err, "loc": loc})
    deeper_locs = list(by_loc)
    out, seen = [], set()
    for loc, errs in by_loc.items():
        literal = [e for e in errs if e["type"] == "literal_error"]
        others = [e for e in errs if e["type"] != "literal_error"]
        deeper = any(other[:len(loc)] == loc and len(other) > len(loc) for other in deeper_locs)
        union = bool(literal) and len({str(e["ctx"]["expected"]) for e in literal}) == 1 and \
            (others or deeper) and _models_at(model, loc)
        if union and deeper and not others:
            continue  # a wrong item inside the list also fails the word branch: say only that
        if any(e["type"] == "missing" for e in errs) and _misspelt_elsewhere(loc, by_loc, model, doc):
            continue  # the unknown-key message already says "did you mean" this field
        if union:
            messages = [(loc, _union_message(errs, model, doc, loc))]
        else:
            messages = []
            for e in errs:
                text = _message(e, model, doc)
                where = _relocate(loc, text) if e["type"] == "value_error" else loc
                if where != loc:
                    text += _MODEL_LEVEL_HINT.get(where[-1], "")
                messages.append((where, text))
        for where, text in messages:
            line, col = doc.position(where)
            dotted = ".".join(str(p) for p in where)
            if (dotted, text) not in seen:
                seen.add((dotted, text))
                out.append(Problem(doc.path, line, col, dotted, text))
    return out


def _misspelt_elsewhere(loc: tuple, by_loc: dict, model, doc) -> bool:
    wanted = f"(did you mean {loc[-1]!r}?)"
    return any(other[:-1] == loc[:-1] and any(e["type"] == "extra_forbidden" and
                                              wanted in _message(e, model, doc) for e in errs)
               for other, errs in by_loc.items())
