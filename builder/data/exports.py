"""Machine-readable exports of the catalogue, published with the site under api/.

The published format is not the authoring format: it adds derived fields (`url`,
`io_category`) and leaves out nothing a record holds. Its `version` changes only when a field
is renamed or removed (see site/api.md).
"""
from __future__ import annotations

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
