"""The quality report: records per kind and, per field, how many records lack it.

A field is missing when it is absent/null, an empty list, "unknown", "not reported", or (for
links) has no URL at all. Pure function of a loaded catalogue; `mmllm stats` prints it and the
coverage page shows it.
"""
from __future__ import annotations

from schema.components import KIND_FILES

STAGES = ["modality_encoder", "input_projector", "llm_backbone", "output_projector",
          "modality_generator"]
ABSENT = (None, "unknown", "not reported", [], "")
MODEL_FIELDS = ["venue", "organizations", "paper", "paper.arxiv", "links", "design",
                *[f"architecture.{s}" for s in STAGES], "tools", "data_scale.pretraining",
                "data_scale.instruction_tuning", "open_weights", "results"]
DATASET_FIELDS = ["venue", "organizations", "paper", "links", "type", "multi_turn", "source",
                  "method", "media_scale.image", "media_scale.video", "media_scale.audio",
                  "dialog_turns", "instances", "models"]
BENCHMARK_FIELDS = ["task", "metric", "scale", "higher_is_better", "arxiv", "year", "homepage",
                    "tracker"]
SURVEY_FIELDS = ["venue", "organizations", "links"]
COMPONENT_FIELDS = ["description", "links"]


def _get(record, dotted: str):
    value = record
    for part in dotted.split("."):
        if value is None or isinstance(value, str):
            return None if part != "" else value
        value = getattr(value, part, None)
    return value


def _missing(value) -> bool:
    if hasattr(value, "model_dump") and not isinstance(value, type):
        dumped = value.model_dump(exclude_none=True)
        if not dumped and type(value).__name__ == "Links":
            return True
        return False
    try:
        return value in ABSENT
    except TypeError:
        return False


def _count(records, fields: list[str], skip=lambda r, f: False) -> dict[str, int]:
    return {f: sum(1 for r in records if not skip(r, f) and _missing(_get(r, f))) for f in fields}


def _model_skip(m, field: str) -> bool:
    # only a tool-using system is expected to list tools
    return field == "tools" and m.design != "tool-using"


def catalogue_stats(cat) -> dict:
    """{"counts": {kind: n}, "missing": {kind: {field: n}}} for a loaded Catalogue."""
    comps = {f"{k}s": cat.components.entries(k) for k in KIND_FILES}
    counts = {"models": len(cat.models), "datasets": len(cat.datasets),
              "benchmarks": len(cat.benchmarks), "surveys": len(cat.surveys),
              **{k: len(v) for k, v in comps.items()}}
    missing = {
        "models": _count(cat.models, MODEL_FIELDS, _model_skip),
        "datasets": _count(cat.datasets, DATASET_FIELDS),
        "benchmarks": _count(cat.benchmarks, BENCHMARK_FIELDS),
        "surveys": _count(cat.surveys, SURVEY_FIELDS),
        **{k: _count(v, COMPONENT_FIELDS) for k, v in comps.items()},
    }
    return {"counts": counts, "missing": missing}


def stats_text(stats: dict) -> str:
    lines = ["records"]
    lines += [f"  {kind:<12} {n:>5}" for kind, n in stats["counts"].items()]
    for kind, fields in stats["missing"].items():
        total = stats["counts"][kind]
        lines.append(f"missing in {kind} (of {total})")
        lines += [f"  {field:<32} {n:>5}" for field, n in fields.items()]
    return "\n".join(lines) + "\n"
