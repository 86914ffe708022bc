"""Controlled vocabularies, read from the YAML data files beside this module.

They are data, not code: adding a modality or projector type is an edit to
`schema/vocabularies/*.yaml`, adding a benchmark is a new record in `benchmarks/`, and the
record schema (including its JSON Schema enums) follows from them.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCAB_DIR = Path(__file__).parent / "vocabularies"
BENCHMARKS_DIR = Path(__file__).resolve().parents[1] / "benchmarks"


@dataclass(frozen=True)
class Modality:
    id: str
    label: str
    notation: str
    note: str | None = None


@dataclass(frozen=True)
class ProjectorType:
    id: str
    label: str
    matches: tuple[str, ...]


@dataclass(frozen=True)
class License:
    id: str
    name: str
    spdx: bool
    kind: str  # permissive | copyleft | non-commercial | custom | proprietary
    url: str | None = None


@dataclass(frozen=True)
class Benchmark:
    key: str
    name: str
    group: str
    task: str
    metric: str
    scale_min: float
    scale_max: float | None  # None: no upper bound (e.g. LLaVA-W can exceed 100)
    higher_is_better: bool
    scale_note: str | None = None
    arxiv: str | None = None
    year: int | None = None
    homepage: str | None = None
    main_protocol: str | None = None  # a protocol key (builder.data.scores.Protocol)
    protocol_aliases: tuple[tuple[str, str], ...] = ()  # (as printed, ranked as), see the record


class VocabularyError(ValueError):
    """A vocabulary file that cannot be read as its entries: says file, line and what is wrong."""


def _read(name: str) -> list[dict]:
    with open(VOCAB_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _entries(name: str, kind: type) -> list:
    """The entries of a vocabulary file as `kind` dataclasses; a VocabularyError naming the file
    and the entry's line when an entry lacks a field, has an unknown one, or repeats an id."""
    path = VOCAB_DIR / name
    try:
        with open(path, encoding="utf-8") as fh:
            node = yaml.compose(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise VocabularyError(f"schema/vocabularies/{name}:{mark.line + 1 if mark else 0}: not valid YAML: "
                              f"{err.problem}") from None
    fields = {f.name: f for f in dataclasses.fields(kind)}
    required = {n for n, f in fields.items()
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    out, seen = [], set()
    for item, data in zip(node.value, _read(name)):
        where = f"schema/vocabularies/{name}:{item.start_mark.line + 1}"
        if not isinstance(data, dict):
            raise VocabularyError(f"{where}: an entry is a mapping of field: value")
        missing, unknown = sorted(required - set(data)), sorted(set(data) - set(fields))
        if missing or unknown:
            raise VocabularyError(f"{where}: entry {data.get('id')!r}: "
                                  + "; ".join([f"missing {', '.join(missing)}"] * bool(missing)
                                              + [f"unknown field {', '.join(unknown)}"] * bool(unknown))
                                  + f" (fields: {', '.join(fields)})")
        if data["id"] in seen:
            raise VocabularyError(f"{where}: id {data['id']!r} is listed twice")
        seen.add(data["id"])
        out.append(kind(**data))
    return out


@cache
def modalities() -> dict[str, Modality]:
    return {m.id: m for m in _entries("modalities.yaml", Modality)}


@cache
def projector_types() -> dict[str, ProjectorType]:
    return {p["id"]: ProjectorType(p["id"], p["label"], tuple(p["matches"]))
            for p in _read("projector_types.yaml")}


@cache
def licenses() -> dict[str, License]:
    return {lic.id: lic for lic in _entries("licenses.yaml", License)}


@cache
def benchmarks() -> dict[str, Benchmark]:
    """The scorable benchmarks (those with a metric, a scale and a direction), in display order.

    Their data lives in the benchmark records, `benchmarks/<key>.yaml` at the project root;
    this reads those files plainly (the full validation is `schema.catalogue`'s job)."""
    rows = []
    for path in sorted(BENCHMARKS_DIR.glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            b = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if not isinstance(b, dict) or not all(b.get(k) is not None for k in
                                              ("metric", "scale", "higher_is_better")):
            continue
        rows.append(b)
    out = {}
    for b in sorted(rows, key=lambda b: b.get("position", 0)):
        out[b["key"]] = Benchmark(
            key=b["key"], name=b["name"], group=b["group"], task=b.get("task"), metric=b["metric"],
            scale_min=b["scale"]["min"], scale_max=b["scale"]["max"],
            higher_is_better=b["higher_is_better"], scale_note=b.get("scale_note"),
            arxiv=b.get("arxiv"), year=b.get("year"), homepage=b.get("homepage"),
            main_protocol=b.get("main_protocol"),
            protocol_aliases=tuple((b.get("protocol_aliases") or {}).items()))
    return out


@cache
def modality_by_notation() -> dict[str, str]:
    return {m.notation: m.id for m in modalities().values()}
