"""The data API v1: the files under api/v1/ made from the validated catalogue, as pure
functions (the shapes and their JSON Schemas are in builder/api_schemas.py).

Every link inside a file is a path relative to the site root. v1 only gains fields; a rename
or a removal makes v2 (site/api.md states this promise).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os

from schema import Catalogue, ModelRecord, io_notation
from schema.components import STAGE_KIND, resolved_components

from .api_schemas import (SCHEMA_VERSION, LeaderboardRow, api_schema_name, api_schema_texts,
                          record_schema_texts)
from .bibtex import bibtex_entry, bibtex_file
from .families import family_of
from .exports import EXPORT_FIELDS, export_results, result_rows
from .scores import all_boards

API_DIR = "api/v1"
LICENSE = "Data: CC BY 4.0 (credit the survey arXiv:2401.13601 and the sources each record cites)"
# api/v1/<file> -> the name of the index link to it
LISTS = {"models.json": "models", "benchmarks.json": "benchmarks", "components.json": "components",
         "datasets.json": "datasets", "surveys.json": "surveys", "results.json": "results_json",
         "results.csv": "results_csv", "atlas.bib": "bibtex"}


def build_time(environ=os.environ) -> str:
    """When the site is built, RFC 3339 UTC: SOURCE_DATE_EPOCH when set (reproducible builds,
    https://reproducible-builds.org/specs/source-date-epoch/), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds "
                             "since 1970-01-01; unset it or give e.g. 1700000000") from None
    else:
        moment = dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _json(doc: dict) -> str:
    # compact: an indent sends json to its pure-Python encoder, 4x slower at 1,000 models
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _record(record) -> dict:
    # every field, null when not given: a required-but-nullable field (a scale without a top)
    # must be present to follow its schema, and a reader sees one set of keys per kind
    return record.model_dump(mode="json")


def model_page_url(model_id: str) -> str:
    return f"models/{model_id}/"


def benchmark_page_url(key: str) -> str:
    """Lower case, so a typed address works (benchmarks/mmmu/); the key's own spelling
    redirects there (builder.pages.redirects)."""
    return f"benchmarks/{key.lower()}/"


def model_document_path(model_id: str) -> str:
    return f"{API_DIR}/models/{model_id}.json"


def families(model: ModelRecord, catalogue: Catalogue) -> list[dict]:
    """The family of each encoder, LLM and generator the record names, in pipeline order."""
    out = []
    if model.architecture is None:
        return out
    for stage, kind in STAGE_KIND.items():
        value = getattr(model.architecture, stage)
        if isinstance(value, str):  # none / unknown
            continue
        for item in value:
            entry = catalogue.components.resolve(kind, item.name)
            out.append({"stage": stage, "kind": kind, "name": item.name,
                        "component": entry.id if entry else None,
                        "family": entry.family if entry else family_of(kind, item),
                        "url": f"components/{kind}/{entry.id}/" if entry else None})
    return out


def best_ranks(models: list[ModelRecord], boards: dict | None = None) -> dict[str, list[dict]]:
    """Model id -> per benchmark (in the survey's column order) and protocol (the main one
    first), its place in that protocol's leaderboard (builder.data.scores.boards: one standing
    per model, its best score); `boards`: all_boards(models), when the caller has them."""
    out: dict[str, list[dict]] = {}
    for key, per_protocol in (all_boards(models) if boards is None else boards).items():
        for board in per_protocol:
            for s in board.standings:
                r = s.best
                out.setdefault(s.model.id, []).append({
                    "benchmark": key, "protocol": board.protocol.key,
                    "protocol_label": board.protocol.label, "main_protocol": board.main,
                    "rank": s.rank, "entries": len(board.standings), "score": r.score,
                    "normalized": float(f"{r.normalized:.6g}"), "variant": r.variant,
                    "source": r.source})
    return out


LEADERBOARD_FIELDS = list(LeaderboardRow.model_fields)


def leaderboard_path(key: str, ext: str = "json") -> str:
    return f"{API_DIR}/leaderboards/{key.lower()}.{ext}"


def leaderboard_files(key: str, boards: list) -> dict[str, str]:
    """api/v1/leaderboards/<key>.json and .csv: the rows of a benchmark's leaderboard page,
    every protocol (builder.data.scores.boards)."""
    rows = []
    for board in boards:
        for s in board.standings:
            r, size = s.best, s.size
            rows.append({
                "protocol": board.protocol.key, "protocol_label": board.protocol.label,
                "main_protocol": board.main, "rank": s.rank, "entries": len(board.standings),
                "model": s.model.id, "model_name": s.model.name, "score": r.score,
                "normalized": float(f"{r.normalized:.6g}"), "printed_scale": r.printed_scale,
                "variant": r.variant, "reported_as": r.reported_as,
                "size_b": size.total if size else None, "active_b": size.active if size else None,
                "size_basis": size.basis if size else None, "other_scores": len(s.others),
                "source": r.source, "source_kind": r.source_kind})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LEADERBOARD_FIELDS, lineterminator="\n")
    writer.writeheader()
    # as in JSON: null is empty, booleans are true/false
    writer.writerows({k: "" if v is None else (str(v).lower() if isinstance(v, bool) else v)
                      for k, v in row.items()} for row in rows)
    return {leaderboard_path(key): _json({"schema_version": SCHEMA_VERSION, "benchmark": key,
                                           "fields": LEADERBOARD_FIELDS, "count": len(rows),
                                           "rows": rows}),
            leaderboard_path(key, "csv"): out.getvalue()}


def model_document(model: ModelRecord, catalogue: Catalogue, ranks: list[dict],
                   arxiv_meta: dict | None = None) -> dict:
    doc = {"schema_version": SCHEMA_VERSION, **_record(model)}
    doc.update(url=model_page_url(model.id), io_category=io_notation(model.io.input, model.io.output),
               families=families(model, catalogue), ranks=ranks, bibtex_key=model.id,
               bibtex=bibtex_entry(model, arxiv_meta))
    return doc


def model_summary(model: ModelRecord, document: dict) -> dict:
    """The row of models.json, from the record and its document (families, io_category)."""
    fams = document["families"]
    per_kind: dict[str, list[str]] = {kind: [] for kind in STAGE_KIND.values()}
    for f in fams:
        if f["family"] not in per_kind[f["kind"]]:
            per_kind[f["kind"]].append(f["family"])
    paper = model.paper
    return {
        "id": model.id, "name": model.name, "aliases": list(model.aliases),
        "former_ids": list(model.former_ids), "date": model.date.isoformat(),
        "added": model.added.isoformat(), "io_category": document["io_category"],
        "input": list(model.io.input), "output": list(model.io.output),
        "functional": list(model.functional), "design": model.design,
        "organizations": list(model.organizations), "arxiv": paper.arxiv if paper else None,
        "paper_title": paper.title if paper else None, "open_weights": model.open_weights,
        "families": per_kind, "results": len(model.results),
        "benchmarks": sorted({r.benchmark for r in model.results}),
        "url": model_page_url(model.id), "api": model_document_path(model.id),
    }


def _listing(key: str, items: list) -> str:
    return _json({"schema_version": SCHEMA_VERSION, "count": len(items), key: items})


def api_files(catalogue: Catalogue, arxiv_meta: dict | None = None,
              built_at: str | None = None, boards: dict | None = None) -> dict[str, str]:
    """Every file of api/v1/ (site path -> text). `arxiv_meta`: the entries of
    models/_meta/arxiv.json (authors for BibTeX); `built_at`: build_time(); `boards`:
    builder.data.scores.all_boards, when the caller has them."""
    models = sorted(catalogue.models, key=lambda m: m.id)
    ranks = best_ranks(catalogue.models, boards)
    files: dict[str, str] = {}
    summaries = []
    for m in models:
        doc = model_document(m, catalogue, ranks.get(m.id, []), arxiv_meta)
        files[model_document_path(m.id)] = _json(doc)
        summaries.append(model_summary(m, doc))
    files[f"{API_DIR}/models.json"] = _listing("models", summaries)

    scored: dict[str, set[str]] = {}
    n_scores: dict[str, int] = {}
    for m in catalogue.models:
        for r in m.results:
            scored.setdefault(r.benchmark, set()).add(m.id)
            n_scores[r.benchmark] = n_scores.get(r.benchmark, 0) + 1
    benchmarks = [{**_record(b), "url": benchmark_page_url(b.key), "results": n_scores.get(b.key, 0),
                   "models": len(scored.get(b.key, ()))} for b in catalogue.benchmarks]
    files[f"{API_DIR}/benchmarks.json"] = _listing("benchmarks", benchmarks)

    # (schema.components.uses compares whole records; ids in a set are all this needs)
    used: dict[tuple[str, str], set[str]] = {}
    for m in catalogue.models:
        for _, kind, _, entry in resolved_components(m, catalogue.components):
            used.setdefault((kind, entry.id), set()).add(m.id)
    components = [{**_record(e), "kind": kind, "url": f"components/{kind}/{e.id}/",
                   "models": sorted(used.get((kind, e.id), ()))}
                  for kind in catalogue.components.kinds() for e in catalogue.components.entries(kind)]
    files[f"{API_DIR}/components.json"] = _listing("components", components)
    files[f"{API_DIR}/datasets.json"] = _listing(
        "datasets", [{**_record(d), "url": f"datasets/{d.id}/"} for d in sorted(catalogue.datasets, key=lambda d: d.id)])
    files[f"{API_DIR}/surveys.json"] = _listing(
        "surveys", [_record(s) for s in sorted(catalogue.surveys, key=lambda s: s.id)])

    rows = result_rows(catalogue.models)
    files[f"{API_DIR}/results.json"] = _json({"schema_version": SCHEMA_VERSION, "count": len(rows),
                                              "fields": EXPORT_FIELDS, "results": rows})
    files[f"{API_DIR}/results.csv"] = export_results(catalogue.models, "csv")
    files[f"{API_DIR}/atlas.bib"] = bibtex_file(catalogue.models, arxiv_meta)
    for key, per_protocol in (all_boards(catalogue.models) if boards is None else boards).items():
        files.update(leaderboard_files(key, per_protocol))

    schemas = {}
    for kind, text in record_schema_texts().items():
        schemas[kind] = f"{API_DIR}/schemas/{kind}.schema.json"
        files[schemas[kind]] = text
    for api_file, text in api_schema_texts().items():
        schemas[api_file] = f"{API_DIR}/schemas/{api_schema_name(api_file)}.schema.json"
        files[schemas[api_file]] = text

    index = {"schema_version": SCHEMA_VERSION}
    if built_at:
        index["built_at"] = built_at
    index["license"] = LICENSE
    index["counts"] = {"models": len(models), "benchmarks": len(benchmarks),
                       "components": len(components), "datasets": len(catalogue.datasets),
                       "surveys": len(catalogue.surveys), "results": len(rows)}
    links = {name: f"{API_DIR}/{path}" for path, name in LISTS.items()}
    links["model"] = f"{API_DIR}/models/{{id}}.json"
    links["leaderboard"] = f"{API_DIR}/leaderboards/{{key}}.json"
    links["schemas"] = schemas
    links["documentation"] = "api/"
    index["links"] = links
    files[f"{API_DIR}/index.json"] = _json(index)
    return files
