"""One way to read a folder of records of any kind: strict YAML (schema.loader), pydantic
validation, Problems with file:line:column, and the rule that a record's id is its file name."""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .loader import Document, Problem, problems_from_validation, read_file


@dataclass
class Loaded:
    records: list = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # id -> file as shown in problems
    docs: dict[str, Document] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


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
    """(record, problems): the record validated against `cls`, its id checked against the file."""
    try:
        record = cls.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation(doc, exc, cls)
    ident = getattr(record, id_field)
    if ident != stem:
        line, col = doc.position((id_field,))
        return None, [Problem(doc.path, line, col, id_field,
                              f"{id_field} {ident!r} must equal the file name; rename the file to "
                              f"{ident}.yaml or set {id_field}: {stem}")]
    return record, []


# Reading is CPU-bound (libyaml events + pydantic); big catalogues are read by one process per
# core. Below this many files the cost of starting the processes outweighs the gain.
PARALLEL_FROM = 2000


def _read_one(path: Path, shown: str, cls: type[BaseModel], id_field: str):
    """(doc or None, record or None, problems) for one file."""
    if path.suffix != ".yaml":
        return None, None, [Problem(shown, 0, 0, "", "record files end in .yaml")]
    doc = read_file(path, shown)
    if isinstance(doc, Problem):
        return None, None, [doc]
    record, problems = validate_document(doc, path.stem, cls, id_field)
    return doc, record, problems


def _read_chunk(jobs: list[tuple[Path, str]], cls: type[BaseModel], id_field: str) -> list:
    return [_read_one(path, shown, cls, id_field) for path, shown in jobs]


def _slim(doc: Document | None) -> Document | None:
    """What the checks across records need of a document: its positions, less the bulk of
    `results` (checked inside each record). Cheaper to send back from a worker process."""
    if doc is None:
        return None
    return Document(doc.path, None, {loc: pos for loc, pos in doc.positions.items()
                                     if not (loc and loc[0] == "results" and len(loc) > 1)})


def _read_chunk_slim(jobs: list[tuple[Path, str]], cls: type[BaseModel], id_field: str) -> list:
    return [(_slim(doc), record, problems) for doc, record, problems in _read_chunk(jobs, cls, id_field)]


def _read_all(jobs: list[tuple[Path, str]], cls: type[BaseModel], id_field: str) -> list:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _read_chunk(jobs, cls, id_field)
    size = -(-len(jobs) // workers)
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        parts = pool.map(_read_chunk_slim, chunks, [cls] * len(chunks), [id_field] * len(chunks))
        return [item for part in parts for item in part]


def load_records(root: Path, targets: list[Path], cls: type[BaseModel], id_field: str = "id") -> Loaded:
    out = Loaded()
    jobs = [(path, display(path, root)) for path in files_in(targets)]
    for (path, shown), (doc, record, problems) in zip(jobs, _read_all(jobs, cls, id_field)):
        out.problems += problems
        if record is None:
            continue
        ident = getattr(record, id_field)
        if ident in out.paths:
            line, col = doc.position((id_field,))
            out.problems.append(Problem(shown, line, col, id_field,
                                        f"{id_field} {ident!r} is also used by {out.paths[ident]}"))
            continue
        out.records.append(record)
        out.paths[ident] = shown
        out.docs[ident] = doc
    return out
