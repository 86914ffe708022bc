"""One way to read a folder of records of any kind: strict YAML (schema.loader), pydantic
validation, Problems with file:line:column, and the rule that a record's id is its file name."""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from .loader import Document, Problem, read_file
from .messages import problems_from_validation


@dataclass
class Loaded:
    records: list = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # id -> file as shown in problems
    docs: dict[str, Document] = field(default_factory=dict)  # not kept with `reduce`
    files: dict[str, Path] = field(default_factory=dict)  # id -> the file itself
    problems: list[Problem] = field(default_factory=list)

    def document(self, ident: str) -> Document | Problem:
        """The parsed file of a record: kept, or read again (when records were reduced)."""
        doc = self.docs.get(ident)
        if doc is None:
            doc = read_file(self.files[ident], self.paths[ident])
            if isinstance(doc, Document):
                self.docs[ident] = doc
        return doc


def display(path: Path, root: Path) -> str:
    # os.path, not Path.resolve(): no symlink walk per file (a tenth of validate's time)
    shown = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return str(path) if shown.startswith("..") else shown


def files_in(targets: list[Path]) -> list[Path]:
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files += sorted(p for p in target.glob("*.yaml") if not p.name.startswith("_"))
        elif target.exists() or target.suffix:
            files.append(target)
    return files


def validate_document(doc: Document, stem: str, cls: type[BaseModel], id_field: str = "id"):
    """(record, problems): the record validated against `cls`, its id checked against the file,
    and every plain scalar that would mean something else to a YAML 1.2 reader reported."""
    problems = doc.version_problems()
    try:
        record = cls.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + problems_from_validation(doc, exc, cls)
    ident = getattr(record, id_field)
    if ident != stem:
        line, col = doc.position((id_field,))
        return None, problems + [Problem(doc.path, line, col, id_field,
                                         f"{id_field} {ident!r} must equal the file name; rename "
                                         f"the file to {ident}.yaml or set {id_field}: {stem}")]
    return (None, problems) if problems else (record, [])


# Reading is CPU-bound (libyaml events + pydantic); big catalogues are read by one process per
# core. Below this many files the cost of starting the processes outweighs the gain.
PARALLEL_FROM = 2000

Check = Callable[[BaseModel, Document], list[Problem]]


@dataclass(frozen=True)
class Reading:
    """How to read one kind of record: its schema, its id field, an optional further check of
    each record (run where the record is read), and optionally what to keep of each valid
    record instead of the record itself (see `load_records`)."""
    cls: type[BaseModel]
    id_field: str = "id"
    check: Check | None = None
    reduce: Callable[[BaseModel], Any] | None = None


def _read_one(path: Path, shown: str, how: Reading):
    """(doc or None, record or None, problems) for one file."""
    if path.suffix != ".yaml":
        return None, None, [Problem(shown, 0, 0, "", "record files end in .yaml")]
    doc = read_file(path, shown)
    if isinstance(doc, Problem):
        return None, None, [doc]
    record, problems = validate_document(doc, path.stem, how.cls, how.id_field)
    if record is not None and how.check is not None:
        problems += how.check(record, doc)
    return doc, record, problems


def _read_chunk(jobs: list[tuple[Path, str]], how: Reading) -> list:
    """(doc, id, record or what `reduce` keeps of it, problems) per file. With `reduce`, no
    document is kept either: a position needed later is found by reading the file again."""
    out = []
    for path, shown in jobs:
        doc, record, problems = _read_one(path, shown, how)
        ident = getattr(record, how.id_field) if record is not None else None
        if how.reduce is not None:
            doc, record = None, (how.reduce(record) if record is not None else None)
        out.append((doc, ident, record, problems))
    return out


def _slim(doc: Document | None) -> Document | None:
    """What the checks across records need of a document: its positions, less the bulk of
    `results` (checked inside each record). Cheaper to send back from a worker process."""
    if doc is None:
        return None
    return Document(doc.path, None, {loc: pos for loc, pos in doc.positions.items()
                                     if not (loc and loc[0] == "results" and len(loc) > 1)})


def _read_chunk_slim(jobs: list[tuple[Path, str]], how: Reading) -> list:
    return [(_slim(doc), *rest) for doc, *rest in _read_chunk(jobs, how)]


def _read_all(jobs: list[tuple[Path, str]], how: Reading) -> list:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _read_chunk(jobs, how)
    size = -(-len(jobs) // workers)
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        parts = pool.map(_read_chunk_slim, chunks, [how] * len(chunks))
        return [item for part in parts for item in part]


def load_records(root: Path, targets: list[Path], cls: type[BaseModel], id_field: str = "id", *,
                 check: Check | None = None, reduce: Callable[[BaseModel], Any] | None = None) -> Loaded:
    """Every record file under `targets`, validated against `cls`, with its id checked against
    its file name and unique. `check(record, doc)` adds problems of one record. `reduce(record)`,
    when given, is what `Loaded.records` keeps instead of each record: far cheaper to send
    back from a worker process than a pydantic record (unpickling those took longer than
    validating them), for callers such as `mmllm validate` that need only a few facts."""
    how = Reading(cls, id_field, check, reduce)
    out = Loaded()
    jobs = [(path, display(path, root)) for path in files_in(targets)]
    for (path, shown), (doc, ident, record, problems) in zip(jobs, _read_all(jobs, how)):
        out.problems += problems
        if record is None:
            continue
        if ident in out.paths:
            line, col = position(doc or read_file(path, shown), (id_field,))
            out.problems.append(Problem(shown, line, col, id_field,
                                        f"{id_field} {ident!r} is also used by {out.paths[ident]}"))
            continue
        out.records.append(record)
        out.paths[ident] = shown
        out.files[ident] = path
        if doc is not None:
            out.docs[ident] = doc
    return out


def position(doc: Document | Problem, loc: tuple) -> tuple[int, int]:
    return doc.position(loc) if isinstance(doc, Document) else (1, 1)
