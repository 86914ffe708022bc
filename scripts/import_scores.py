"""Import ../shared/reference/benchmark_scores.csv into the `results` of model records.

    python scripts/import_scores.py [CSV] [--models models] [--check] [--report FILE]

Idempotent, and re-runnable on whatever `models/` holds: a CSV row goes to the record whose
name or alias equals the row's `model` (case-insensitively), or to the record named by
scripts/data/score_mapping.yaml (each mapping justified there). Only the `results:` block of a
record is rewritten; every other line of the file stays as it was. Results whose source URL
appears in the CSV belong to this importer and are regenerated; any other result (added by
hand from another source) is kept.

Scores are kept as printed (never averaged, never rounded); conflicting numbers of different
sources are all kept, each with its source. Rows that reach no record are listed in the report
(scripts/import_scores_report.md), with the reason. Exit status: 0 when every row was valid
(placed or not), 1 when a row is invalid (unknown benchmark key, score off scale, no source),
2 when a file cannot be read.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schema import vocabularies as vocab  # noqa: E402
from schema.loader import read_file  # noqa: E402
from schema.model import Result  # noqa: E402
from builder.commands.fmt import dump, format_text  # noqa: E402

# ../shared/reference/ beside the main checkout (or beside the folder of worktrees)
DEFAULT_CSV = next((p / "shared" / "reference" / "benchmark_scores.csv" for p in ROOT.parents[:2]
                    if (p / "shared" / "reference" / "benchmark_scores.csv").exists()),
                   ROOT.parent / "shared" / "reference" / "benchmark_scores.csv")
MAPPING = Path(__file__).parent / "data" / "score_mapping.yaml"
REPORT = Path(__file__).parent / "import_scores_report.md"
COLUMNS = ["model", "variant", "llm_backbone", "benchmark", "split", "metric", "score",
           "source_url", "source_kind", "note"]


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.message}" if self.field else f"{self.line}: {self.message}"


@dataclass
class Outcome:
    placed: dict[str, list[dict]] = field(default_factory=dict)  # record id -> results
    unplaced: dict[str, list[tuple[int, dict, str]]] = field(default_factory=dict)  # csv name -> rows
    errors: list[RowError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rows: int = 0


# -- reading -------------------------------------------------------------------------------

def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) pairs; raises ValueError naming the file if the header is wrong."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: line 1: missing column(s) {', '.join(missing)}; "
                             f"expected {','.join(COLUMNS)}")
        return [(reader.line_num, row) for row in reader]


def load_mapping(path: Path = MAPPING) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for entry in data["names"]:
        if not entry.get("why"):
            raise ValueError(f"{path}: mapping for {entry.get('csv')!r} has no `why`")
    return data


@dataclass
class Index:
    """Record names and aliases -> (record id, record name); plus the path of each record."""
    by_label: dict[str, tuple[str, str]]
    paths: dict[str, Path]
    results: dict[str, list[dict]]  # existing results per record id

    @classmethod
    def of(cls, models_dir: Path) -> Index:
        by_label, paths, results = {}, {}, {}
        for path in sorted(models_dir.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            doc = read_file(path)  # the strict reading: refuses what the catalogue refuses
            if not hasattr(doc, "data"):
                raise ValueError(str(doc))
            # typed values (numbers as numbers) for comparing and re-dumping results
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            rid, name = data.get("id", path.stem), data.get("name", path.stem)
            paths[rid] = path
            results[rid] = list(data.get("results") or [])
            for label in [name, *(data.get("aliases") or [])]:
                by_label.setdefault(str(label).casefold(), (rid, name))
        return cls(by_label, paths, results)

    def find(self, label: str) -> tuple[str, str] | None:
        return self.by_label.get(label.strip().casefold())


# -- one row -> one result -----------------------------------------------------------------

def _plain(text: str) -> str:
    return " ".join(text.split())


def result_of(row: dict, record_name: str, mapping: dict) -> dict:
    """The `results` entry for one CSV row (a plain dict in the record's field order)."""
    printed = row["split"].strip()
    split, setting = (printed or None), None
    for rule in mapping["settings"]:
        if rule["printed"] == printed:
            split, setting = rule["split"], rule["setting"]
    note = _plain(row["note"]) or None
    if setting is None and note:
        clauses = [c.strip() for c in note.split(";")]
        setting = next((s for s in mapping["note_settings"] if s in clauses), None)
    text = row["score"].strip()
    score = float(text)
    scale = None
    for rule in mapping["printed_scales"]:
        if rule["benchmark"] != row["benchmark"]:
            continue
        if "metric" in rule and rule["metric"] != row["metric"].strip():
            continue
        if "source" in rule and rule["source"] != row["source_url"].strip():
            continue
        scale = rule["scale"]
    out = {"benchmark": row["benchmark"].strip()}
    if row["variant"].strip():
        out["variant"] = _plain(row["variant"])
    if row["model"].strip().casefold() != record_name.casefold():
        out["reported_as"] = _plain(row["model"])
    if row["llm_backbone"].strip():
        out["llm"] = _plain(row["llm_backbone"])
    if split:
        out["split"] = split
    if setting:
        out["setting"] = setting
    if row["metric"].strip():
        out["metric"] = _plain(row["metric"])
    out["score"] = int(score) if score.is_integer() and "." not in text else score
    if repr(score) != text:
        out["printed"] = text
    if scale is not None:
        out["printed_scale"] = scale
    out["source"] = row["source_url"].strip()
    out["source_kind"] = row["source_kind"].strip()
    if note:
        out["note"] = note
    return out


def check_row(line: int, row: dict) -> list[RowError]:
    """Problems of a row before it is turned into a result (the schema checks the rest)."""
    errors = []
    if not row["model"].strip():
        errors.append(RowError(line, "model", "empty model name"))
    if row["benchmark"].strip() not in vocab.benchmarks():
        errors.append(RowError(line, "benchmark", f"unknown benchmark key {row['benchmark']!r}; "
                               f"known keys: {', '.join(vocab.benchmarks())}"))
    if not row["source_url"].strip():
        errors.append(RowError(line, "source_url", "missing source: every score needs the URL "
                               "of the table it was read from"))
    try:
        float(row["score"])
    except ValueError:
        errors.append(RowError(line, "score", f"{row['score']!r} is not a number"))
    return errors


def validate_result(line: int, result: dict) -> list[RowError]:
    try:
        Result.model_validate(result)
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "literal_error":
                msg = f"{e['input']!r} is not allowed: {msg}"
            out.append(RowError(line, ".".join(map(str, e["loc"])) or "score", msg))
        return out
    return []


def resolve(name: str, index: Index, mapping: dict) -> tuple[tuple[str, str] | None, str]:
    """The record a CSV model name belongs to, or None and the reason."""
    entry = next((e for e in mapping["names"] if e["csv"].casefold() == name.casefold()), None)
    if entry:
        for candidate in entry["record"]:
            hit = index.find(candidate)
            if hit:
                return hit, ""
        return None, (f"mapped to {' / '.join(entry['record'])}, which has no record in models/ yet")
    hit = index.find(name)
    if hit:
        return hit, ""
    return None, "no record has this name or alias, and no mapping names one"


def plan(rows: list[tuple[int, dict]], index: Index, mapping: dict) -> Outcome:
    out = Outcome(rows=len(rows))
    csv_sources = {row["source_url"].strip() for _, row in rows}
    placed: dict[str, list[dict]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for line, row in rows:
        errors = check_row(line, row)
        if errors:
            out.errors += errors
            continue
        hit, reason = resolve(row["model"], index, mapping)
        result = result_of(row, hit[1] if hit else row["model"].strip(), mapping)
        errors = validate_result(line, result)
        if errors:
            out.errors += errors
            continue
        if hit is None:
            out.unplaced.setdefault(row["model"].strip(), []).append((line, row, reason))
            continue
        key = (hit[0], *(result.get(k) for k in ("benchmark", "reported_as", "variant", "llm",
                                                    "split", "setting", "source", "note")))
        if key in seen:
            if placed_equal(placed[hit[0]], result):
                continue  # the same fact twice: keep one
            out.errors.append(RowError(line, "score", f"conflicts with line {seen[key]}: same model, "
                                       "variant, benchmark, split, setting, source and note"))
            continue
        seen[key] = line
        placed[hit[0]].append(result)
    # keep results not from the CSV (added by hand from another source)
    for rid, existing in index.results.items():
        kept = [r for r in existing if isinstance(r, dict) and r.get("source") not in csv_sources]
        new = kept + placed.get(rid, [])
        if new or existing:
            out.placed[rid] = new
        text = index.paths[rid].read_text(encoding="utf-8")
        if splice(text, dump_results(new)) != text:
            out.changed.append(rid)
    return out


def placed_equal(results: list[dict], result: dict) -> bool:
    return result in results


# -- writing -------------------------------------------------------------------------------

def dump_results(results: list[dict]) -> str:
    """The `results:` block, in the style of scripts/import_site_posts.py's dump()."""
    if not results:
        return ""
    return dump({"results": results})


def splice(text: str, block: str) -> str:
    """Replace the top-level `results:` block of a record's text (or insert it before
    `sources:`, else at the end); every other line is kept byte for byte."""
    lines = text.splitlines(keepends=True)

    def top_key(line: str) -> str | None:
        if line[:1].isspace() or line.startswith(("#", "-", "\n")) or ":" not in line:
            return None
        return line.split(":", 1)[0]

    start = next((i for i, ln in enumerate(lines) if top_key(ln) == "results"), None)
    if start is not None:
        end = start + 1
        while end < len(lines) and top_key(lines[end]) is None:
            end += 1
        # trailing comments/blank lines belong to what follows
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        return "".join(lines[:start]) + block + "".join(lines[end:])
    at = next((i for i, ln in enumerate(lines) if top_key(ln) == "sources"), len(lines))
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines[:at]) + block + "".join(lines[at:])


def write(out: Outcome, index: Index) -> list[str]:
    """Write changed records; returns the ids written."""
    written = []
    for rid in out.changed:
        path = index.paths[rid]
        old = path.read_text(encoding="utf-8")
        new = splice(old, dump_results(out.placed.get(rid, [])))
        # keep the record in `mmllm fmt` form (schema key order), so diffs stay small
        formatted = format_text(new, str(path))
        new = formatted.formatted if formatted.formatted is not None else new
        if new != old:
            path.write_text(new, encoding="utf-8")
            written.append(rid)
    return written


# -- report --------------------------------------------------------------------------------

def reference_names(reference_dir: Path) -> dict[str, str]:
    """Names of models the catalogue's reference lists hold (records expected from them)."""
    names = {}
    posts = reference_dir / "site_posts.yaml"
    newer = reference_dir / "models_2024_2026.yaml"
    if posts.exists():
        for p in yaml.safe_load(posts.read_text(encoding="utf-8")):
            if p.get("kind") == "model":
                names[p["name"].casefold()] = "site_posts.yaml"
    if newer.exists():
        for m in yaml.safe_load(newer.read_text(encoding="utf-8")):
            names[m["name"].casefold()] = "models_2024_2026.yaml"
    return names


def report(out: Outcome, csv_path: Path, mapping: dict, reference_dir: Path) -> str:
    placed_rows = sum(len(v) for v in out.placed.values())
    unplaced_rows = sum(len(v) for v in out.unplaced.values())
    expected = reference_names(reference_dir)
    looked_up = {e["csv"].casefold(): e["why"] for e in mapping.get("not_created", [])}

    def target_list(name: str) -> list[str]:
        entry = next((e for e in mapping["names"] if e["csv"].casefold() == name.casefold()), None)
        return entry["record"] if entry else [name]

    def expected_in(name: str) -> str | None:
        return next((expected[t.casefold()] for t in target_list(name) if t.casefold() in expected), None)
    coming = sum(len(rows) for name, rows in out.unplaced.items() if expected_in(name))
    lines = [
        "# Benchmark scores: import report",
        "",
        "Generated by `python scripts/import_scores.py`; do not edit. Source: "
        f"`{csv_path.name}` ({out.rows} rows).",
        "",
        f"- results in records: {placed_rows} (in {sum(1 for v in out.placed.values() if v)} records)",
        f"- rows not placed: {unplaced_rows} (of {len(out.unplaced)} model names); of these, "
        f"{coming} are *expected* to be placed once the catalogue's reference records land "
        "(re-run this script), the others need a record nobody has sourced yet",
        f"- invalid rows: {len(out.errors)}",
        "",
    ]
    if out.errors:
        lines += ["## Invalid rows", ""] + [f"- {e}" for e in out.errors] + [""]
    lines += ["## Not placed", "",
              "A row is placed only in a record that exists; nothing is guessed. *Expected* means the",
              "name (or its mapping target) is in the catalogue's reference lists, so its record is to",
              "come from the catalogue import; re-run this script after it lands.", "",
              "| CSV model name | rows | kinds | reason |", "|---|---:|---|---|"]
    for name, rows in sorted(out.unplaced.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
        kinds = ", ".join(sorted({r["source_kind"] for _, r, _ in rows}))
        reason = rows[0][2]
        where = expected_in(name)
        if where:
            reason += f"; *expected* (in `{where}`)"
        elif name.casefold() in looked_up:
            reason += f"; looked up, no record made: {looked_up[name.casefold()]}"
        else:
            reason += ("; not in the catalogue's reference lists, and no record made: one needs a "
                       "sourced date, I→O, functional and design division (from the model's paper)")
        lines.append(f"| {name.replace('|', '/')} | {len(rows)} | {kinds} | {reason} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--models", type=Path, default=ROOT / "models")
    ap.add_argument("--mapping", type=Path, default=MAPPING)
    ap.add_argument("--report", type=Path, default=REPORT)
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if a record's results are not up to date")
    args = ap.parse_args(argv)
    try:
        rows = read_rows(args.csv)
        mapping = load_mapping(args.mapping)
        index = Index.of(args.models)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = plan(rows, index, mapping)
    for err in out.errors:
        print(f"{args.csv}:{err}", file=sys.stderr)
    if args.check:
        if out.changed:
            print(f"results out of date in: {', '.join(sorted(out.changed))}; "
                  "run scripts/import_scores.py", file=sys.stderr)
            return 1
        return 1 if out.errors else 0
    written = write(out, index)
    args.report.write_text(report(out, args.csv, mapping, args.csv.parent), encoding="utf-8")
    placed = sum(len(v) for v in out.placed.values())
    print(f"{placed} result(s) in {sum(1 for v in out.placed.values() if v)} record(s); "
          f"{len(written)} file(s) rewritten; "
          f"{sum(len(v) for v in out.unplaced.values())} row(s) not placed; "
          f"{len(out.errors)} invalid; report: {args.report}")
    return 1 if out.errors else 0


if __name__ == "__main__":
    sys.exit(main())
