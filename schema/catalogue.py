"""Load every record of the catalogue, validate each, then check them against each other.

All problems are collected before anything is reported, so a contributor sees every mistake
in one run (as endoflife.date's build does).
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .components import Registry, component_problems, load_registry
from .kinds import BenchmarkRecord, DatasetRecord, SurveyRecord
from .loader import Document, Problem
from .messages import _suggest
from .model import ModelRecord
from .not_tracked import NotTracked, NotTrackedList, load_not_tracked
from .records import Loaded, display, files_in, load_records, position
from .records import validate_document as validate_record
from .statements import statement_problems

MODELS_DIR = "models"
# the other record kinds: folder -> (schema, id field)
KIND_DIRS = {"datasets": (DatasetRecord, "id"), "benchmarks": (BenchmarkRecord, "key"),
             "surveys": (SurveyRecord, "id")}


@dataclass
class Catalogue:
    models: list[ModelRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # where each record came from, for edit links and for error positions in later checks
    paths: dict[str, str] = field(default_factory=dict)
    datasets: list[DatasetRecord] = field(default_factory=list)
    benchmarks: list[BenchmarkRecord] = field(default_factory=list)
    surveys: list[SurveyRecord] = field(default_factory=list)
    components: Registry = field(default_factory=Registry)
    # kind folder -> id -> file, for the other kinds
    kind_paths: dict[str, dict[str, str]] = field(default_factory=dict)
    # papers looked at and not kept as model records (tracking/not-tracked.yaml)
    not_tracked: list[NotTracked] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def record_files(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """The record files to check: the given files/folders, or `models/` under root."""
    return files_in(paths or [root / MODELS_DIR])


def load_catalogue(root: Path, paths: list[Path] | None = None, *, keep_models: bool = True) -> Catalogue:
    """Every record under root (or only the files/folders given), validated and cross-checked:
    ids, arXiv ids, names, component names, dataset -> model links. Files given are still
    checked against every model record under root (a copy of a record under a new id fails
    as it would in a full check), but only their own problems and records are returned.
    With keep_models=False the model records are checked the same but not kept (`models` is
    empty; `paths` lists every valid one): `mmllm validate` of a big catalogue needs no more."""
    # Records are acyclic plain data: the cyclic garbage collector would only rescan the
    # growing heap again and again (40% of validating 10,000 records), so it pauses meanwhile.
    running = gc.isenabled()
    gc.disable()
    try:
        return _load_catalogue(root, paths, keep_models)
    finally:
        if running:
            gc.enable()


def _load_catalogue(root: Path, paths: list[Path] | None, keep_models: bool) -> Catalogue:
    cat = Catalogue()
    registry, problems, _ = load_registry(root)
    cat.components = registry
    cat.problems += problems
    # explicit paths: a file or folder under datasets/, benchmarks/ or surveys/ is of that kind
    kind_targets: dict[str, list[Path]] = {}
    model_targets = None
    if paths is not None:
        model_targets = []
        for p in paths:
            folder = p.name if p.is_dir() else p.parent.name
            if folder in KIND_DIRS:
                kind_targets.setdefault(folder, []).append(p)
            else:
                model_targets.append(p)
    files = record_files(root, model_targets) if model_targets != [] else []
    named = None
    if paths is not None:
        # the rest of the catalogue, read first: a clash is then reported on a named file
        named = {display(f, root) for f in files}
        files = [f for f in record_files(root) if display(f, root) not in named] + files
    loaded = load_records(root, files, ModelRecord, check=partial(model_problems, reg=registry),
                          reduce=None if keep_models else identity)
    models = loaded.records if keep_models else []
    identities = [identity(m) for m in models] if keep_models else loaded.records
    problems = loaded.problems + cross_check(identities, loaded, named)
    model_ids = set(loaded.paths)
    if named is not None:
        models = [m for m in models if loaded.paths[m.id] in named]
        loaded.paths = {i: shown for i, shown in loaded.paths.items() if shown in named}
        problems = [p for p in problems if p.path in named]
    cat.models = models
    cat.paths = loaded.paths
    cat.problems += problems
    for folder, (cls, id_field) in KIND_DIRS.items():
        targets = kind_targets.get(folder) if paths is not None else [root / folder]
        if not targets or (paths is None and not targets[0].is_dir()):
            continue
        kind = load_records(root, targets, cls, id_field)
        setattr(cat, folder, kind.records)
        cat.kind_paths[folder] = kind.paths
        cat.problems += kind.problems
        if folder == "datasets":
            cat.problems += _dataset_links(kind, model_ids)
    if paths is None:
        listed = load_not_tracked(root)
        cat.not_tracked = listed.entries
        cat.problems += listed.problems + _tracked_after_all(listed, identities)
    cat.problems.sort()
    cat.models.sort(key=lambda m: (m.date, m.name.lower()))
    cat.datasets.sort(key=lambda d: (d.date, d.name.lower()))
    cat.benchmarks.sort(key=lambda b: b.position)
    cat.surveys.sort(key=lambda s: (s.date, s.name.lower()))
    return cat


def model_problems(model: ModelRecord, doc: Document, reg: Registry | None) -> list[Problem]:
    """The checks of one model record beyond its schema: component names resolve in the
    registry (when it loaded), and open weights, licence and sizes are stated."""
    return (component_problems(model, doc, reg) if reg else []) + statement_problems(model, doc)


def _tracked_after_all(listed: NotTrackedList, models: list[ModelIdentity]) -> list[Problem]:
    """A paper that has a model record is not also 'not tracked'."""
    by_arxiv = {m.arxiv: m.id for m in models if m.arxiv}
    out = []
    for entry, (path, line, col) in zip(listed.entries, listed.places):
        if entry.arxiv in by_arxiv:
            out.append(Problem(path, line, col, "arxiv",
                               f"arXiv {entry.arxiv} has the model record {by_arxiv[entry.arxiv]!r}; "
                               "remove this entry"))
    return out


def _dataset_links(kind, model_ids: set[str]) -> list[Problem]:
    problems = []
    for d in kind.records:
        for i, ident in enumerate(d.models):
            if ident not in model_ids:
                line, col = kind.docs[d.id].position(("models", i))
                problems.append(Problem(kind.paths[d.id], line, col, f"models.{i}",
                                        f"no model record has id {ident!r}{_suggest(ident, model_ids)}"))
    return problems


@dataclass(frozen=True)
class ModelIdentity:
    """What the checks across model records need of each."""
    id: str
    name: str
    aliases: tuple[str, ...]
    arxiv: str | None
    former_ids: tuple[str, ...] = ()


def identity(m: ModelRecord) -> ModelIdentity:
    return ModelIdentity(m.id, m.name, tuple(m.aliases), m.paper.arxiv if m.paper else None,
                         tuple(m.former_ids))


def cross_check(models: list[ModelIdentity], loaded: Loaded,
                named: set[str] | None = None) -> list[Problem]:
    """Unique arXiv ids, no name or alias shared (case-insensitively), and each former id (a
    redirect to one record) neither a current id nor another record's former id. A clash is
    reported on the record later in id order; one in a `named` file (as shown) comes after the rest."""
    problems = []
    seen_arxiv: dict[str, str] = {}
    seen_name: dict[str, str] = {}
    seen_former: dict[str, str] = {}
    current = {m.id for m in models}

    def problem(m: ModelIdentity, loc: tuple, message: str) -> Problem:
        line, col = position(loaded.document(m.id), loc)
        return Problem(loaded.paths[m.id], line, col, ".".join(map(str, loc)), message)

    for m in sorted(models, key=lambda m: (named is not None and loaded.paths[m.id] in named, m.id)):
        if m.arxiv:
            other = seen_arxiv.setdefault(m.arxiv, m.id)
            if other != m.id:
                problems.append(problem(m, ("paper", "arxiv"),
                                        f"arXiv id {m.arxiv} is already used by {other!r}; "
                                        "one record per paper (list variants as aliases)"))
        for i, label in enumerate([m.name, *m.aliases]):
            other = seen_name.setdefault(label.casefold(), m.id)
            if other != m.id:
                problems.append(problem(m, ("name",) if i == 0 else ("aliases", i - 1),
                                        f"{label!r} is already the name or an alias of {other!r}"))
        for i, former in enumerate(m.former_ids):
            other = seen_former.setdefault(former, m.id)
            if former in current and former != m.id:
                problems.append(problem(m, ("former_ids", i),
                                        f"{former!r} is the current id of another record; a former "
                                        "id redirects to this record, so it must be free"))
            elif other != m.id:
                problems.append(problem(m, ("former_ids", i),
                                        f"{former!r} is already a former id of {other!r}; "
                                        "one old id redirects to one record"))
    return problems


def validate_document(doc: Document, stem: str):
    """A model record from one parsed file (kept for callers of the earlier API)."""
    return validate_record(doc, stem, ModelRecord)
