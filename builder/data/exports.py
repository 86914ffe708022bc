"""Machine-readable exports of the catalogue, published with the site under api/.

The published format is not the authoring format: it adds derived fields (`url`,
`io_category`) and leaves out nothing a record holds. Its `version` changes only when a field
is renamed or removed (see site/api.md). `export_results` is every benchmark score with its
source, as `mmllm export results` prints it and api/results.{csv,json} publish it.
"""
from __future__ import annotations

import csv
import io
import json

from schema import ModelRecord, io_notation

API_VERSION = 1


def model_entry(model: ModelRecord) -> dict:
    entry = model.model_dump(mode="json", exclude_none=True)
    entry["url"] = f"models/{model.id}/"
    entry["io_category"] = io_notation(model.io.input, model.io.output)
    return entry


def models_json(models: list[ModelRecord]) -> str:
    ordered = sorted(models, key=lambda m: m.id)
    doc = {"version": API_VERSION, "count": len(ordered), "models": [model_entry(m) for m in ordered]}
    # compact: an indent sends json to its pure-Python encoder, 4x slower at 1,000 models
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


EXPORT_FIELDS = ["model_id", "model", "reported_as", "variant", "llm", "benchmark", "split",
                 "setting", "metric", "score", "printed", "printed_scale", "normalized",
                 "source", "source_kind", "note"]


def result_rows(models: list[ModelRecord]) -> list[dict]:
    """One flat row per result, in catalogue order then record order."""
    out = []
    for m in sorted(models, key=lambda m: (m.date, m.name.casefold())):
        for r in m.results:
            out.append({
                "model_id": m.id, "model": m.name, "reported_as": r.reported_as,
                "variant": r.variant, "llm": r.llm, "benchmark": r.benchmark, "split": r.split,
                "setting": r.setting, "metric": r.metric, "score": r.score, "printed": r.shown,
                "printed_scale": r.printed_scale, "normalized": float(f"{r.normalized:.6g}"), "source": r.source,
                "source_kind": r.source_kind, "note": r.note,
            })
    return out


def export_results(models: list[ModelRecord], fmt: str) -> str:
    """All results as JSON or CSV; both carry the same rows and fields."""
    rows = result_rows(models)
    if fmt == "json":
        return json.dumps({"fields": EXPORT_FIELDS, "results": rows}, ensure_ascii=False,
                          separators=(",", ":")) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else (repr(v) if isinstance(v, float) else v))
                             for k, v in row.items()})
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use csv or json")
