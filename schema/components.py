"""The component registry: every modality encoder, LLM and modality generator a model record
names is an entry of `components/{encoders,llms,generators}.yaml`, found by its canonical name
or an alias (case-insensitively).

    from schema.components import registry
    entry = registry().resolve("llm", "Vicuna-v1.5")   # -> ComponentEntry or None
    entry.family                                        # -> 'Vicuna'
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from .kinds import ComponentEntry, ComponentFile, ComponentKind
from .loader import Document, Problem, read_file
from .messages import _suggest, problems_from_validation
from .records import display

ROOT = Path(__file__).resolve().parents[1]
COMPONENTS_DIR = "components"
KIND_FILES: dict[str, str] = {"encoder": "encoders.yaml", "llm": "llms.yaml",
                              "generator": "generators.yaml"}
KIND_LABELS = {"encoder": "modality encoder", "llm": "LLM", "generator": "modality generator"}
# which architecture stage names which kind of component
STAGE_KIND: dict[str, str] = {"modality_encoder": "encoder", "llm_backbone": "llm",
                              "modality_generator": "generator"}


class Registry:
    def __init__(self, entries: dict[str, list[ComponentEntry]] | None = None):
        self._entries = {k: list((entries or {}).get(k, [])) for k in KIND_FILES}
        self._index = {k: {label.casefold(): e for e in v for label in e.labels}
                       for k, v in self._entries.items()}

    def kinds(self) -> list[str]:
        return list(KIND_FILES)

    def entries(self, kind: ComponentKind | str) -> list[ComponentEntry]:
        return self._entries[kind]

    def get(self, kind: str, ident: str) -> ComponentEntry | None:
        return next((e for e in self._entries[kind] if e.id == ident), None)

    def resolve(self, kind: ComponentKind | str, name: str) -> ComponentEntry | None:
        return self._index[kind].get(name.strip().casefold())

    def suggestion(self, kind: str, name: str) -> str:
        """' (did you mean 'X'?)' or ''."""
        labels = [label for e in self._entries[kind] for label in e.labels]
        return _suggest(name, labels)

    def __bool__(self) -> bool:
        return any(self._entries.values())


def load_registry(root: Path) -> tuple[Registry, list[Problem], dict[str, Document]]:
    """Read components/*.yaml under root; a missing folder is an empty registry."""
    folder = root / COMPONENTS_DIR
    entries: dict[str, list[ComponentEntry]] = {}
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    if not folder.is_dir():
        return Registry(), problems, docs
    for kind, name in KIND_FILES.items():
        path = folder / name
        shown = display(path, root)
        if not path.exists():
            problems.append(Problem(shown, 0, 0, "", f"missing: the registry of {KIND_LABELS[kind]}s"))
            continue
        doc = read_file(path, shown)
        if isinstance(doc, Problem):
            problems.append(doc)
            continue
        problems += doc.version_problems()
        try:
            data = ComponentFile.model_validate(doc.data)
        except ValidationError as exc:
            problems += problems_from_validation(doc, exc, ComponentFile)
            continue
        if data.kind != kind:
            line, col = doc.position(("kind",))
            problems.append(Problem(shown, line, col, "kind",
                                    f"{shown} holds kind {kind!r}, not {data.kind!r}"))
            continue
        problems += _clashes(data.entries, doc)
        entries[kind] = data.entries
        docs[kind] = doc
    return Registry(entries), problems, docs


def _clashes(entries: list[ComponentEntry], doc: Document) -> list[Problem]:
    problems = []
    ids: dict[str, int] = {}
    labels: dict[str, str] = {}
    for i, e in enumerate(entries):
        if e.id in ids:
            line, col = doc.position(("entries", i, "id"))
            problems.append(Problem(doc.path, line, col, f"entries.{i}.id",
                                    f"id {e.id!r} is also entry {ids[e.id]}"))
        ids.setdefault(e.id, i)
        for j, label in enumerate(e.labels):
            other = labels.setdefault(label.casefold(), e.id)
            if other != e.id:
                where = ("entries", i, "name") if j == 0 else ("entries", i, "aliases", j - 1)
                line, col = doc.position(where)
                problems.append(Problem(doc.path, line, col, ".".join(map(str, where)),
                                        f"{label!r} is already the name or an alias of {other!r}"))
    return problems


def component_problems(model, doc: Document, reg: Registry) -> list[Problem]:
    """Every encoder/LLM/generator name in a model record must resolve to a registry entry."""
    problems = []
    if model.architecture is None:
        return problems
    for stage, kind in STAGE_KIND.items():
        value = getattr(model.architecture, stage)
        if isinstance(value, str):
            continue
        for i, item in enumerate(value):
            if reg.resolve(kind, item.name) is None:
                loc = ("architecture", stage, i, "name")
                line, col = doc.position(loc)
                problems.append(Problem(
                    doc.path, line, col, ".".join(map(str, loc)),
                    f"unknown {KIND_LABELS[kind]} {item.name!r}{reg.suggestion(kind, item.name)}; "
                    f"use a name or alias of components/{KIND_FILES[kind]}, or add an entry there"))
    return problems


def resolved_components(model, reg: Registry):
    """(stage, kind, item, registry entry) for each encoder, LLM and generator a model names
    that the registry knows."""
    if model.architecture is None:
        return
    for stage, kind in STAGE_KIND.items():
        value = getattr(model.architecture, stage)
        if isinstance(value, str):  # "none" / "unknown"
            continue
        for item in value:
            entry = reg.resolve(kind, item.name)
            if entry is not None:
                yield stage, kind, item, entry


def uses(models, reg: Registry) -> dict[tuple[str, str], list]:
    """(kind, entry id) -> the models naming that entry, in the order given."""
    out: dict[tuple[str, str], list] = {}
    for m in models:
        for _, kind, _, entry in resolved_components(m, reg):
            users = out.setdefault((kind, entry.id), [])
            if m not in users:
                users.append(m)
    return out


@cache
def _registry_at(root: str) -> Registry:
    return load_registry(Path(root))[0]


def registry(root: Path | None = None) -> Registry:
    """The registry of the project at `root` (default: this checkout), read once."""
    return _registry_at(str((root or ROOT).resolve()))
