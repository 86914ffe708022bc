"""The data behind compare/: one JSON object per model, embedded safely in the page; a
model's scores are its best per benchmark (builder.data.scores.best_per_benchmark).

The page works without a server: compare.js reads this blob, the selection lives in the URL
(?m=llava,blip-2). `json_for_script` escapes <, > and & so no record text can close the
<script> element or start markup.
"""
from __future__ import annotations

import json

from schema import ModelRecord
from schema import vocabularies as vocab

from builder.data.scores import best_per_benchmark

from .kit import STAGES, component_text, io_label


def _amount(value) -> str:
    if isinstance(value, str):
        return value
    return value.amount + (f" {value.unit}" if value.unit else "")


def model_entry(m: ModelRecord) -> dict:
    return {
        "id": m.id,
        "name": m.name,
        "aliases": list(m.aliases),
        "date": m.date.isoformat(),
        "io": io_label(m).replace(" -> ", " → "),
        "functional": " & ".join(f.capitalize() for f in m.functional),
        "design": m.design.capitalize(),
        "stages": {key: component_text(m, key) for key, _label in STAGES},
        "pretraining": _amount(m.data_scale.pretraining),
        "instruction_tuning": _amount(m.data_scale.instruction_tuning),
        "open_weights": {True: "yes", False: "no", None: "not reported"}[m.open_weights],
        # per benchmark the best score (on the benchmark's own scale, `v`, which decides
        # whether two models differ), as printed, and how many scores the model has there
        "best": {key: {"score": r.shown, "v": r.normalized, "n": n, "variant": r.variant,
                       "split": r.split, "setting": r.setting}
                 for key, r, n in best_per_benchmark(m)},
    }


def compare_data(models: list[ModelRecord]) -> dict:
    ordered = sorted(models, key=lambda m: (m.name.lower(), m.id))
    benches = vocab.benchmarks()
    return {
        "stages": [[key, label] for key, label in STAGES],
        "benchmarks": {k: {"name": b.name, "metric": b.metric, "higher": b.higher_is_better}
                       for k, b in benches.items()},
        "models": [model_entry(m) for m in ordered],
    }


def json_for_script(data: object) -> str:
    """JSON that is safe inside <script type="application/json"> in HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
