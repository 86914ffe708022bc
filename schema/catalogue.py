"""Load every record of the catalogue, validate each, then check them against each other.

All problems are collected before anything is reported, so a contributor sees every mistake
in one run (as endoflife.date's build does).
"""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .loader import Document, Problem, problems_from_validation, read_file
from .model import ModelRecord

MODELS_DIR = "models"


@dataclass
class Catalogue:
    models: list[ModelRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # where each record came from, for edit links and for error positions in later checks
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def record_files(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """The record files to check: the given files/folders, or `models/` under root."""
    targets = paths or [root / MODELS_DIR]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files += sorted(p for p in target.glob("*.yaml") if not p.name.startswith("_"))
        else:
            files.append(target)
    return files


def _display(path: Path, root: Path) -> str:
    # os.path, not Path.resolve(): no symlink walk per file (it was a tenth of validate's time)
    shown = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return str(path) if shown.startswith("..") else shown


def validate_document(doc: Document, stem: str) -> tuple[ModelRecord | None, list[Problem]]:
    try:
        record = ModelRecord.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems_from_validation(doc, exc, ModelRecord)
    if record.id != stem:
        line, col = doc.position(("id",))
        return None, [Problem(doc.path, line, col, "id",
                              f"id {record.id!r} must equal the file name; rename the file to "
                              f"{record.id}.yaml or set id: {stem}")]
    return record, []


_CROSS_CHECKED = {"id", "name", "aliases", "paper"}  # where cross_check may point


def _slim(doc: Document) -> Document:
    """Only the positions cross_check needs: a 10,000-record catalogue then does not hold
    every position of every file until the end."""
    keep = {loc: pos for loc, pos in doc.positions.items()
            if not loc or (loc[0] in _CROSS_CHECKED and len(loc) <= 2)}
    return Document(doc.path, None, keep)


def load_catalogue(root: Path, paths: list[Path] | None = None) -> Catalogue:
    # Records are acyclic plain data: the cyclic garbage collector only rescans the growing
    # heap over and over (it was 40% of validating 10,000 records), so it pauses meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(root, paths)
    finally:
        if paused:
            gc.enable()


def _load(root: Path, paths: list[Path] | None) -> Catalogue:
    cat = Catalogue()
    docs: dict[str, Document] = {}
    for path in record_files(root, paths):
        shown = _display(path, root)
        if path.suffix != ".yaml":
            cat.problems.append(Problem(shown, 0, 0, "", "record files end in .yaml"))
            continue
        doc = read_file(path, shown)
        if isinstance(doc, Problem):
            cat.problems.append(doc)
            continue
        record, problems = validate_document(doc, path.stem)
        cat.problems += problems
        if record is not None and record.id in cat.paths:
            line, col = doc.position(("id",))
            cat.problems.append(Problem(shown, line, col, "id",
                                        f"id {record.id!r} is also used by {cat.paths[record.id]}"))
        elif record is not None:
            cat.models.append(record)
            cat.paths[record.id] = shown
            docs[record.id] = _slim(doc)
    cat.problems += cross_check(cat.models, docs)
    cat.problems.sort()
    cat.models.sort(key=lambda m: (m.date, m.name.lower()))
    return cat


def cross_check(models: list[ModelRecord], docs: dict[str, Document]) -> list[Problem]:
    """Unique ids, unique arXiv ids, and no name or alias shared (case-insensitively)."""
    problems = []
    seen_arxiv: dict[str, str] = {}
    seen_name: dict[str, str] = {}
    for m in sorted(models, key=lambda m: m.id):
        doc = docs[m.id]
        if m.paper and m.paper.arxiv:
            other = seen_arxiv.setdefault(m.paper.arxiv, m.id)
            if other != m.id:
                line, col = doc.position(("paper", "arxiv"))
                problems.append(Problem(doc.path, line, col, "paper.arxiv",
                                        f"arXiv id {m.paper.arxiv} is already used by {other!r}; "
                                        "one record per paper (list variants as aliases)"))
        for i, label in enumerate([m.name, *m.aliases]):
            other = seen_name.setdefault(label.casefold(), m.id)
            if other != m.id:
                where = ("name",) if i == 0 else ("aliases", i - 1)
                line, col = doc.position(where)
                problems.append(Problem(doc.path, line, col, ".".join(map(str, where)),
                                        f"{label!r} is already the name or an alias of {other!r}"))
    return problems
