"""One way to read a folder of records of any kind: strict YAML (schema.loader), pydantic
validation, Problems with file:line:column, and the rule that a record's id is its file name."""
from __future__ import annotations

import os
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


def load_records(root: Path, targets: list[Path], cls: type[BaseModel], id_field: str = "id") -> Loaded:
    out = Loaded()
    for path in files_in(targets):
        shown = display(path, root)
        if path.suffix != ".yaml":
            out.problems.append(Problem(shown, 0, 0, "", "record files end in .yaml"))
            continue
        doc = read_file(path, shown)
        if isinstance(doc, Problem):
            out.problems.append(doc)
            continue
        record, problems = validate_document(doc, path.stem, cls, id_field)
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
