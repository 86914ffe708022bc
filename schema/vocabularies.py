"""Controlled vocabularies, read from the YAML data files beside this module.

They are data, not code: adding a modality, projector type or benchmark is an edit to
`schema/vocabularies/*.yaml`, and the record schema (including its JSON Schema enums)
follows from them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCAB_DIR = Path(__file__).parent / "vocabularies"


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


def _read(name: str) -> list[dict]:
    with open(VOCAB_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def modalities() -> dict[str, Modality]:
    return {m["id"]: Modality(**m) for m in _read("modalities.yaml")}


@cache
def projector_types() -> dict[str, ProjectorType]:
    return {p["id"]: ProjectorType(p["id"], p["label"], tuple(p["matches"]))
            for p in _read("projector_types.yaml")}


@cache
def benchmarks() -> dict[str, Benchmark]:
    out = {}
    for b in _read("benchmarks.yaml"):
        scale = b.pop("scale")
        out[b["key"]] = Benchmark(scale_min=scale["min"], scale_max=scale["max"], **b)
    return out


@cache
def modality_by_notation() -> dict[str, str]:
    return {m.notation: m.id for m in modalities().values()}
