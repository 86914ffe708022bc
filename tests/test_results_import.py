"""scripts/import_scores.py: CSV scores -> record `results`, idempotent and strict."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from results_support import ROOT, importer, merged_models, reference_csv
from schema import load_catalogue

pytestmark = pytest.mark.skipif(not reference_csv().exists(), reason="reference CSV not present")
HEADER = ["model", "variant", "llm_backbone", "benchmark", "split", "metric", "score",
          "source_url", "source_kind", "note"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in HEADER})
    return path


def row(**kw) -> dict:
    base = dict(model="LLaVA-1.5", variant="7B", llm_backbone="Vicuna-1.5-7B", benchmark="GQA",
                metric="accuracy", score="62.0", source_url="https://example.org/a",
                source_kind="readme", note="")
    base.update(kw)
    return base


@pytest.fixture()
def models(tmp_path):
    dest = tmp_path / "models"
    shutil.copytree(ROOT / "models", dest)
    return dest


def run(csv_path, models, tmp_path, *extra):
    return importer().main([str(csv_path), "--models", str(models),
                            "--report", str(tmp_path / "report.md"), *extra])


def test_records_in_the_branch_are_up_to_date():
    assert importer().main([str(reference_csv()), "--check"]) == 0


def test_import_is_idempotent_and_keeps_other_text(tmp_path, models):
    path = models / "llava-1-5.yaml"
    text = path.read_text(encoding="utf-8")
    # a comment and a hand-written result from a source not in the CSV must survive
    head, rest = text.split("results:\n", 1)
    path.write_text("# a hand-written comment\n" + head + "results:\n"
                    "- benchmark: MMStar\n  score: 30.3\n  source: https://example.org/hand\n"
                    "  source_kind: paper-table\n" + rest, encoding="utf-8")
    assert run(reference_csv(), models, tmp_path) == 0
    once = {p.name: p.read_text(encoding="utf-8") for p in models.glob("*.yaml")}
    assert run(reference_csv(), models, tmp_path) == 0
    twice = {p.name: p.read_text(encoding="utf-8") for p in models.glob("*.yaml")}
    assert once == twice
    assert run(reference_csv(), models, tmp_path, "--check") == 0
    new = once["llava-1-5.yaml"]
    assert new.startswith("# a hand-written comment\n")
    assert new.split("results:\n")[0] == "# a hand-written comment\n" + head
    assert "https://example.org/hand" in new
    assert new.rstrip().endswith(text.rstrip().split("sources:\n", 1)[1].rstrip())
    assert load_catalogue(tmp_path).ok


def test_conflicting_sources_are_both_kept_as_printed(tmp_path, models):
    csv_path = write_csv(tmp_path / "s.csv", [
        row(score="62.0", source_url="https://example.org/a"),
        row(score="61.9", source_url="https://example.org/b", source_kind="third-party"),
        row(score="1510", benchmark="MME-P", metric="score"),
    ])
    assert run(csv_path, models, tmp_path) == 0
    data = yaml.safe_load((models / "llava-1-5.yaml").read_text(encoding="utf-8"))
    mine = [r for r in data["results"] if "example.org" in r["source"]]
    gqa = [(r["score"], r["source"]) for r in mine if r["benchmark"] == "GQA"]
    assert gqa == [(62.0, "https://example.org/a"), (61.9, "https://example.org/b")]
    mme = next(r for r in mine if r["benchmark"] == "MME-P")
    assert mme["printed"] == "1510"  # kept as printed, not '1510.0'
    cat = load_catalogue(tmp_path)
    model = next(m for m in cat.models if m.id == "llava-1-5")
    assert [r.shown for r in model.results if "example.org" in r.source
            and r.benchmark in ("GQA", "MME-P")] == ["62.0", "61.9", "1510"]


@pytest.mark.parametrize("bad, field, words", [
    (dict(benchmark="MME-X"), "benchmark", "unknown benchmark key"),
    (dict(source_url=""), "source_url", "missing source"),
    (dict(benchmark="MME-P", score="2100"), "score", "outside the MME-P scale"),
    (dict(benchmark="GQA", score="101"), "score", "outside the GQA scale"),
    (dict(score="n/a"), "score", "not a number"),
    (dict(source_kind="blog"), "source_kind", "blog"),
])
def test_invalid_rows_are_errors_naming_the_line(tmp_path, models, capsys, bad, field, words):
    csv_path = write_csv(tmp_path / "s.csv", [row(), row(**bad)])
    assert run(csv_path, models, tmp_path) == 1
    err = capsys.readouterr().err
    assert "s.csv:3: " + field in err and words in err
    assert "Traceback" not in err


def test_printed_scale_is_data_and_checked(tmp_path, models):
    csv_path = write_csv(tmp_path / "s.csv", [
        row(benchmark="QBench", metric="accuracy", score="58.7"),
        row(benchmark="QBench", metric="accuracy (fraction 0-1)", score="0.6007",
            source_url="https://example.org/q"),
    ])
    assert run(csv_path, models, tmp_path) == 0
    model = next(m for m in load_catalogue(tmp_path).models if m.id == "llava-1-5")
    q = [r for r in model.results if r.benchmark == "QBench" and "example.org" in r.source]
    assert [(r.shown, r.printed_scale) for r in q] == [("58.7", 100), ("0.6007", None)]
    assert q[0].normalized == pytest.approx(0.587)
    # a fraction printed as a percentage without printed_scale is off the 0-1 scale
    csv_path = write_csv(tmp_path / "t.csv", [row(benchmark="QBench", metric="fraction", score="58.7")])
    assert run(csv_path, models, tmp_path) == 1


def test_unplaced_rows_are_reported_with_a_reason(tmp_path, models):
    (models / "llava-next.yaml").unlink()  # a mapping target that has no record
    csv_path = write_csv(tmp_path / "s.csv", [row(), row(model="No Such Model"),
                                              row(model="LLaVA-NeXT (LLaVA-1.6)")])
    assert run(csv_path, models, tmp_path) == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| No Such Model | 1 | readme | no record has this name or alias" in report
    assert "mapped to LLaVA-NeXT, which has no record in models/ yet" in report


def test_every_mapping_is_justified_and_names_are_unique():
    data = importer().load_mapping()
    names = [e["csv"].casefold() for e in data["names"]]
    assert len(names) == len(set(names))
    assert all(e["why"].strip() and e["record"] for e in data["names"])
    for e in data["names"]:  # a comma inside a flow list would split a name
        assert all(t.count("(") == t.count(")") for t in e["record"]), e
    assert all(e["why"].strip() for e in data.get("not_created", []))


def test_after_the_catalogue_merge_more_scores_are_placed(tmp_path):
    models = merged_models(tmp_path)
    assert run(reference_csv(), models, tmp_path) == 0
    cat = load_catalogue(tmp_path)
    assert cat.ok, cat.problems[:3]
    placed = sum(len(m.results) for m in cat.models)
    assert placed > 917
    # every survey-table score reaches a record once the survey's models have records
    survey = sum(1 for m in cat.models for r in m.results if r.source_kind == "survey-table")
    assert survey == 175
