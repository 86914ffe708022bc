"""`mmllm fmt`: one canonical layout for record files, so diffs show facts, not style.

The layout is the one `scripts/import_site_posts.py` writes: keys in schema field order
(recursively), block style, lists not indented under their key, dates and ids as quoted
strings, quotes on any text YAML 1.1 or YAML 1.2 would read otherwise, UTF-8 kept as is, lines
folded at 100 columns. The comment lines at the top of a file (the yaml-language-server
modeline) are kept verbatim. A comment anywhere else cannot be carried over by the YAML
dumper, so such a file is reported and left untouched rather than losing the comment silently.
The exception is what the scaffold of `mmllm new` wrote itself: its instructions and annotations
are dropped, but a file with a TODO marker left is refused (`mmllm validate` warns about them),
since the marker says a value still needs a source.

Formatting never changes what a record says: the output is read back and must give the same
data, or the file is left alone.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from schema import yaml12
from schema.loader import MAX_BYTES, ReadError, parse_text, shown_path
from schema.model import ModelRecord

from builder.tracking.arxiv import Paper
from builder.tracking.scaffold import MODEL_MODELINE, scaffold

WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """PyYAML's own dumper (libyaml's escapes characters outside the BMP, emoji, as
    \U0001F9A9). It quotes text that YAML 1.1 would read otherwise; this one also quotes text
    that YAML 1.2 would (`0801`, `1e3`, `0o17`), so every reader reads the same."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "'" if yaml12.differs(text, text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


# -- key order from the schema -----------------------------------------------------------

def _models_in(annotation) -> list[type[BaseModel]]:
    """Every pydantic model a field annotation can hold (through list, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return []
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        for m in _models_in(arg):
            if m not in out:
                out.append(m)
    return out


def _pick(candidates: list[type[BaseModel]], keys) -> type[BaseModel] | None:
    """The candidate model that knows most of the given keys."""
    best, score = None, -1
    for m in candidates:
        s = sum(k in m.model_fields for k in keys)
        if s > score:
            best, score = m, s
    return best


def ordered(value: Any, candidates: list[type[BaseModel]] | None = None) -> Any:
    """A copy of `value` with mapping keys in schema field order; unknown keys keep their
    order after the known ones. Dates become ISO strings (the files quote them)."""
    if candidates is None:
        candidates = [ModelRecord]
    if isinstance(value, dict):
        model = _pick(candidates, value)
        fields = list(model.model_fields) if model else []
        known = [k for k in fields if k in value]
        rest = [k for k in value if k not in model.model_fields] if model else list(value)
        out = {}
        for k in known:
            out[k] = ordered(value[k], _models_in(model.model_fields[k].annotation))
        for k in rest:
            out[k] = ordered(value[k], [])
        return out
    if isinstance(value, list):
        return [ordered(v, candidates) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH)


# -- comments ------------------------------------------------------------------------------

def split_header(text: str) -> tuple[str, str]:
    """Leading comment and blank lines (kept verbatim) and the rest of the file."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].lstrip().startswith("#")):
        n += 1
    header = "\n".join(line.rstrip() for line in lines[:n]).strip("\n")
    return (header + "\n" if header else ""), "".join(lines[n:])


def comments(body: str) -> list[tuple[int, str]]:
    """(1-based line within `body`, text after the '#') of every comment: a '#' outside every
    scalar token."""
    spans = []
    for token in yaml.scan(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(token, yaml.ScalarToken):
            spans.append((token.start_mark.index, token.end_mark.index))
    spans.sort()
    found, i = [], 0
    pos = body.find("#")
    while pos != -1:
        while i < len(spans) and spans[i][1] <= pos:
            i += 1
        inside = i < len(spans) and spans[i][0] <= pos < spans[i][1]
        if not inside and (pos == 0 or body[pos - 1] in " \n\r"):
            end = body.find("\n", pos)
            found.append((body.count("\n", 0, pos) + 1, body[pos + 1:end if end != -1 else None].rstrip("\r")))
            pos = end
            if pos == -1:
                break
        pos = body.find("#", pos + 1)
    return found


# -- what the scaffold leaves in a record ---------------------------------------------------

MODELINE = "yaml-language-server:"
TODO = re.compile(r"\bTODO\b")


def _shape(comment: str) -> str:
    """A comment with what differs between two scaffolds (dates, ids, the command, the authors)
    masked."""
    comment = comment.strip()
    if comment.startswith("arXiv authors:"):
        return "arXiv authors:"
    return re.sub(r"\d+", "0", re.sub(r"`[^`]*`", "``", comment))


@functools.cache
def scaffold_comments() -> frozenset[str]:
    """The shapes of the comments `mmllm new` writes, blank or prefilled from arXiv, less the
    modeline (a record keeps it)."""
    paper = Paper("2401.00001", 1, "Name: a title", ["A. Author"], "2024-01-01T00:00:00Z",
                  "2024-01-01T00:00:00Z", ["cs.CV"], "cs.CV")
    shapes = set()
    for prefill in (None, paper):
        header, body = split_header(scaffold(prefill, today=dt.date(2024, 1, 2))[1])
        texts = [line.lstrip().removeprefix("#") for line in header.splitlines() if line.strip()]
        shapes |= {_shape(t) for t in texts + [text for _, text in comments(body)]}
    return frozenset(s for s in shapes if not s.startswith(MODELINE))


def todo_markers(text: str) -> list[tuple[int, int]]:
    """(line, column) of every TODO in a comment below the leading comment lines (where the
    scaffold's instructions say to fill every TODO): a value still to be filled in from a
    source. A TODO inside a value (a note quoting a README's TODO list) is not one."""
    if "TODO" not in text:  # most files: no need to scan
        return []
    header, body = split_header(text.removeprefix("\ufeff"))
    try:
        found = comments(body)
    except yaml.YAMLError:  # not YAML: reported as a problem by the loader
        return []
    lines = body.splitlines()
    offset = header.count("\n")
    out = []
    for n, comment in found:
        start = len(lines[n - 1]) - len(comment)  # the comment runs to the end of its line
        out += [(offset + n, start + m.start() + 1) for m in TODO.finditer(comment)]
    return out


def _lines(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:12])) + (", ..." if len(numbers) > 12 else "")


# -- formatting one file -------------------------------------------------------------------

@dataclass
class Result:
    path: str
    original: str
    formatted: str | None  # None when the file cannot be formatted (see error)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original

    def diff(self) -> str:
        if not self.changed:
            return ""
        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.formatted.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


def format_text(text: str, path: str = "<string>") -> Result:
    header, body = split_header(text.removeprefix("\ufeff"))
    try:
        doc = parse_text(text.removeprefix("\ufeff"), path)
    except ReadError as err:
        return Result(path, text, None, f"{path}:{err.line}:{err.column}: {err.message}")
    try:
        inner = comments(body)
    except yaml.YAMLError:  # parse_text accepted it, so this should not happen
        inner = []
    offset = header.count("\n")
    todo = [n + offset for n, c in inner if TODO.search(c)]
    if todo:
        return Result(path, text, None,
                      f"{path}:{todo[0]}:1: TODO left from the scaffold (line(s) {_lines(todo)}): "
                      "fill in each value from a source and delete its TODO, then format")
    kept = [n + offset for n, c in inner if _shape(c) not in scaffold_comments()]
    if kept:
        return Result(path, text, None,
                      f"{path}:{kept[0]}:1: comment(s) on line(s) {_lines(kept)} would be lost by "
                      "formatting; move them to the comment lines at the top of the file or "
                      "into a `note` field")
    header = "".join(line + "\n" for line in header.splitlines()
                     if _shape(line.lstrip().removeprefix("#")) not in scaffold_comments())
    if Path(path).parent.name == "models" and MODELINE not in header:
        header = MODEL_MODELINE + "\n" + header  # a model record starts with it (CONTRIBUTING)
    if not isinstance(doc.data, dict):
        return Result(path, text, None, f"{path}:1:1: a record is a YAML mapping of field: value")
    # text (`0801`) gets quotes and a date is written as one; a yes/no value or a number YAML 1.2
    # reads otherwise (`yes`, `017`, `1:20`) is for a person to decide
    undecided = [problem for problem, (*_, value) in zip(doc.version_problems(),
                                                         doc.version_dependent)
                 if isinstance(value, (bool, int, float))]
    if undecided:
        return Result(path, text, None, f"{undecided[0]} (the file is left as it is)")
    new = header + dump(ordered(doc.data))
    # formatting must not change the data, and must leave nothing YAML 1.2 reads otherwise
    reread = parse_text(split_header(new)[1], path)
    if ordered(reread.data) != ordered(doc.data) or reread.version_dependent:
        return Result(path, text, None, f"{path}: formatting would change the data; "
                                        "please report this as a bug")
    return Result(path, text, new)


def format_file(path: Path, shown: str | None = None) -> Result:
    shown = shown or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return Result(shown, "", None, f"{shown}: file is larger than {MAX_BYTES:,} bytes")
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return Result(shown, "", None, f"{shown}: cannot read file: {exc.strerror}")
    except UnicodeDecodeError:
        return Result(shown, "", None, f"{shown}: not UTF-8 text; save the file as UTF-8")
    if "\x00" in text:
        return Result(shown, text, None, f"{shown}: NUL byte: this is not a text file")
    return format_text(text, shown)


def run(files: list[Path], root: Path, check: bool, out, err) -> int:
    """Format (or with `check`, diff) the files; 1 if anything is (or was) not normalised."""
    bad = 0
    changed = 0
    for path in files:
        shown = shown_path(path, root)
        result = format_file(path, shown)
        if result.error:
            print(result.error, file=err)
            bad += 1
            continue
        if not result.changed:
            continue
        changed += 1
        if check:
            out.write(result.diff())
        else:
            path.write_text(result.formatted, encoding="utf-8")
            print(f"formatted {shown}", file=err)
    if check and changed:
        print(f"{changed} file(s) not normalised; run `mmllm fmt` to apply the changes above",
              file=err)
    if bad:
        print(f"{bad} file(s) could not be formatted", file=err)
    return 1 if bad or (check and changed) else 0
