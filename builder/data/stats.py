"""The quality report: records per kind and, per field, how many records lack it.

A field is missing when it is absent/null, an empty list, "unknown", "not reported", or (for
links) has no URL at all. Pure function of a loaded catalogue; `mmllm stats` prints it and the
coverage page shows it.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from schema.components import KIND_FILES

# The community list the catalogue's coverage is measured against (tracking/README.md).
COMMUNITY_LIST = Path("tracking") / "community_list.csv"

STAGES = ["modality_encoder", "input_projector", "llm_backbone", "output_projector",
          "modality_generator"]
ABSENT = (None, "unknown", "not reported", [], "")
MODEL_FIELDS = ["venue", "organizations", "paper", "paper.arxiv", "links", "design",
                *[f"architecture.{s}" for s in STAGES], "tools", "data_scale.pretraining",
                "data_scale.instruction_tuning", "open_weights", "license", "variants", "results"]
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


def read_community_list(root: Path) -> list[dict[str, str]] | None:
    """The rows of tracking/community_list.csv (title, date, venue, arxiv_id, paper_url,
    code_url), or None when the file is absent."""
    path = root / COMMUNITY_LIST
    if not path.exists():
        return None
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.casefold()).strip()


def _url_key(url: str) -> str:
    """One spelling per page: scheme, 'www.', a trailing slash and arXiv's pdf/abs/version differ."""
    url = re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")
    m = re.match(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})", url)
    return f"arxiv:{m.group(1)}" if m else url.casefold()


def _record_keys(cat) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """arXiv id, title and URL keys of every record -> the record it belongs to ('models/<id>')."""
    arxiv, titles, urls = {}, {}, {}
    for folder, records in (("models", cat.models), ("datasets", cat.datasets),
                            ("benchmarks", cat.benchmarks), ("surveys", cat.surveys)):
        for r in records:
            name = f"{folder}/{getattr(r, 'id', None) or getattr(r, 'key')}"
            paper = getattr(r, "paper", None)
            ids = [paper.arxiv if paper else None, getattr(r, "arxiv", None)]
            arxiv.update({a: name for a in ids if a})
            if paper and paper.title:
                titles.setdefault(_title_key(paper.title), name)
            found = [s.url for s in getattr(r, "sources", [])]
            found += [paper.url] if paper and paper.url else []
            links = getattr(r, "links", None)
            found += [u for u in (links.model_dump().values() if links else []) if u]
            urls.update({_url_key(u): name for u in found if u})
    return arxiv, titles, urls


def community_coverage(cat, rows: list[dict[str, str]]) -> dict:
    """How each paper of the community list is accounted for: by a record (its arXiv id, its
    title, or a URL the record cites), by a not-tracked entry (with its reason), or not at all."""
    arxiv, titles, urls = _record_keys(cat)
    skipped = {e.arxiv: e for e in cat.not_tracked if e.arxiv}
    skipped_titles = {_title_key(e.title): e for e in cat.not_tracked}
    out = {"papers": len(rows), "records": {}, "not_tracked": {}, "unaccounted": []}
    for row in rows:
        key = row.get("arxiv_id") or ""
        record = arxiv.get(key) or titles.get(_title_key(row["title"])) or next(
            (urls[_url_key(u)] for u in (row.get("paper_url"), row.get("code_url")) if u and _url_key(u) in urls),
            None)
        if record:
            kind = record.split("/")[0]
            out["records"][kind] = out["records"].get(kind, 0) + 1
            continue
        entry = skipped.get(key) or skipped_titles.get(_title_key(row["title"]))
        if entry:
            out["not_tracked"][entry.reason] = out["not_tracked"].get(entry.reason, 0) + 1
        else:
            out["unaccounted"].append({"title": row["title"], "date": row.get("date", ""),
                                       "arxiv": key or None})
    return out


NOMINAL = "nominal size from the checkpoint name"  # the variant note curators use for such a size


def statements(models) -> dict:
    """How the models state open weights, licence and sizes (schema/statements.py asks each to
    state them or say why not)."""
    variants = [v for m in models for v in m.variants]
    sized = [v for v in variants if v.params]
    return {
        "open_weights": {"true": sum(m.open_weights is True for m in models),
                         "false": sum(m.open_weights is False for m in models),
                         "not stated": sum(m.open_weights is None for m in models)},
        "license": {"a licence": sum(m.license not in (None, "unknown", "proprietary") for m in models),
                    "proprietary": sum(m.license == "proprietary" for m in models),
                    "unknown, with why": sum(m.license == "unknown" and bool(m.license_note) for m in models),
                    "not stated": sum(m.license is None or (m.license == "unknown" and not m.license_note)
                                      for m in models)},
        "sizes": {"models with every variant sized": sum(bool(m.variants) and all(v.params for v in m.variants)
                                                         for m in models),
                  "models saying why not (sizes_note)": sum(bool(m.sizes_note) for m in models),
                  "variants": len(variants), "variants with params": len(sized),
                  "of them nominal (checkpoint name)": sum(NOMINAL in (v.note or "") for v in sized),
                  "variants with active params (MoE)": sum(bool(v.active_params) for v in variants)},
    }


def catalogue_stats(cat, community: list[dict[str, str]] | None = None) -> dict:
    """{"counts": {kind: n}, "missing": {kind: {field: n}}} for a loaded Catalogue, and with the
    community list's rows also "coverage" (`community_coverage`)."""
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
    stats = {"counts": counts, "missing": missing, "statements": statements(cat.models)}
    if community is not None:
        stats["coverage"] = community_coverage(cat, community)
    return stats


def stats_text(stats: dict) -> str:
    lines = ["records"]
    lines += [f"  {kind:<12} {n:>5}" for kind, n in stats["counts"].items()]
    for kind, fields in stats["missing"].items():
        total = stats["counts"][kind]
        lines.append(f"missing in {kind} (of {total})")
        lines += [f"  {field:<32} {n:>5}" for field, n in fields.items()]
    for what, counts in stats["statements"].items():
        lines.append(f"models stating {what.replace('_', ' ')}")
        lines += [f"  {label:<36} {n:>5}" for label, n in counts.items()]
    if "coverage" in stats:
        cov = stats["coverage"]
        lines.append(f"coverage of the community list ({cov['papers']} papers, {COMMUNITY_LIST})")
        lines += [f"  record in {kind:<22} {n:>5}" for kind, n in sorted(cov["records"].items())]
        lines += [f"  not tracked: {reason:<19} {n:>5}" for reason, n in sorted(cov["not_tracked"].items())]
        lines.append(f"  {'unaccounted':<32} {len(cov['unaccounted']):>5}")
        lines += [f"    {p['date']} {p['arxiv'] or '-':<11} {p['title'][:90]}" for p in cov["unaccounted"]]
    return "\n".join(lines) + "\n"
