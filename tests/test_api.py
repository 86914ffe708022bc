"""The data API v1 (api/v1/): every file follows the JSON Schema published beside it, the
index links every file, the derived facts agree with the records, and the build time follows
SOURCE_DATE_EPOCH. The published site is the real `mkdocs build --strict` (conftest.built_site)."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from builder.data import api, api_schemas, scores
from builder.pages.site import site_pages
from builder.data.exports import export_results
from conftest import ROOT, TINY, mmllm
from schema import load_catalogue
from schema import vocabularies as vocab

V1 = Path("api") / "v1"


def published_schemas(site: Path) -> dict[str, dict]:
    index = json.loads((site / V1 / "index.json").read_text(encoding="utf-8"))
    return {name: json.loads((site / path).read_text(encoding="utf-8"))
            for name, path in index["links"]["schemas"].items()}


def schema_key(rel: str) -> str:
    """api/v1-relative file -> the name its schema has in index.json's links.schemas."""
    if rel.startswith("leaderboards/"):
        return "leaderboards/<key>.json"
    return "models/<id>.json" if rel.startswith("models/") else rel


def test_every_json_file_validates_against_its_published_schema(built_site):
    schemas = published_schemas(built_site)
    files = sorted(p for p in (built_site / V1).rglob("*.json") if "schemas" not in p.parts)
    assert len(files) > 8
    problems = []
    for path in files:
        rel = path.relative_to(built_site / V1).as_posix()
        validator = Draft202012Validator(schemas[schema_key(rel)], format_checker=FormatChecker())
        for error in validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))):
            problems.append(f"{rel}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    assert problems == []


def test_every_schema_is_a_valid_json_schema_and_the_record_schemas_are_the_committed_ones(built_site):
    for name, schema in published_schemas(built_site).items():
        Draft202012Validator.check_schema(schema)
    for kind in api_schemas.RECORD_KINDS:
        published = (built_site / V1 / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert published == (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")


def test_records_inside_the_api_are_valid_records(built_site):
    """The record part of each entry (without the derived fields) follows the record schema."""
    schemas = published_schemas(built_site)
    derived = {"model": set(api_schemas.ModelDocument.model_fields) - set(api_schemas.ModelRecord.model_fields)}
    doc = json.loads((built_site / V1 / "models" / "llava-1-5.json").read_text(encoding="utf-8"))
    record = {k: v for k, v in doc.items() if k not in derived["model"]}
    assert list(Draft202012Validator(schemas["model"]).iter_errors(record)) == []
    components = json.loads((built_site / V1 / "components.json").read_text(encoding="utf-8"))
    by_kind: dict[str, list] = {}
    for item in components["components"]:
        by_kind.setdefault(item["kind"], []).append(
            {k: v for k, v in item.items() if k not in ("kind", "url", "models")})
    for kind, entries in by_kind.items():
        errors = list(Draft202012Validator(schemas["components"]).iter_errors({"kind": kind, "entries": entries}))
        assert errors == []


def test_derived_fields_never_shadow_record_fields():
    pairs = [(api_schemas.ModelDocument, api_schemas.ModelRecord),
             (api_schemas.BenchmarkEntry, api_schemas.BenchmarkRecord),
             (api_schemas.DatasetEntry, api_schemas.DatasetRecord),
             (api_schemas.ComponentItem, api_schemas.ComponentEntry)]
    for shape, record in pairs:
        added = set(shape.model_fields) - set(record.model_fields)
        assert added, shape
        # a redefined record field keeps its name in both: it must keep its declaration too
        for name in record.model_fields:
            assert shape.model_fields[name].annotation == record.model_fields[name].annotation, name


def test_the_index_links_every_file_and_counts_them(built_site, catalogue):
    index = json.loads((built_site / V1 / "index.json").read_text(encoding="utf-8"))
    links = index["links"]
    linked = {path for name, path in links.items()
              if name not in ("schemas", "model", "leaderboard", "documentation")}
    linked |= set(links["schemas"].values())
    models = json.loads((built_site / links["models"]).read_text(encoding="utf-8"))
    linked |= {m["api"] for m in models["models"]} | {"api/v1/index.json"}  # the entry point
    benchmarks = json.loads((built_site / links["benchmarks"]).read_text(encoding="utf-8"))["benchmarks"]
    boards = {links["leaderboard"].format(key=b["key"].lower()) for b in benchmarks if b["results"]}
    linked |= boards | {path.removesuffix(".json") + ".csv" for path in boards}
    on_disk = {p.relative_to(built_site).as_posix() for p in (built_site / V1).rglob("*") if p.is_file()}
    assert linked == on_disk
    assert (built_site / links["documentation"] / "index.html").is_file()
    assert {m["api"] for m in models["models"]} == {links["model"].format(id=m.id) for m in catalogue.models}
    counts = index["counts"]
    assert counts["models"] == len(catalogue.models) == models["count"] == len(models["models"])
    assert counts["results"] == sum(len(m.results) for m in catalogue.models)
    assert counts["benchmarks"] == len(catalogue.benchmarks)
    assert counts["datasets"] == len(catalogue.datasets)
    assert counts["components"] == sum(len(catalogue.components.entries(k)) for k in catalogue.components.kinds())
    # the CSV and JSON of results hold the same rows as the unversioned export
    with open(built_site / links["results_csv"], encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == counts["results"]
    assert (built_site / links["results_csv"]).read_text(encoding="utf-8") == \
        (built_site / "api" / "results.csv").read_text(encoding="utf-8")
    # the unversioned files keep working
    assert json.loads((built_site / "api" / "models.json").read_text(encoding="utf-8"))["count"] == counts["models"]


def test_tables_link_the_files_with_their_rows(built_site):
    pages = {"models/index.html": "api/v1/models.json", "benchmarks/index.html": "api/v1/results.csv",
             "datasets/index.html": "api/v1/datasets.json", "components/index.html": "api/v1/components.json",
             "models/llava-1-5/index.html": "api/v1/models/llava-1-5.json"}
    for page, target in pages.items():
        html = (built_site / page).read_text(encoding="utf-8")
        depth = page.count("/")
        assert f'href="{"../" * depth}{target}"' in html, page


def test_the_api_page_documents_every_file():
    text = (ROOT / "site" / "api.md").read_text(encoding="utf-8")
    for name in api.LISTS:
        assert f"api/v1/{name}" in text, name
    for needle in ("api/v1/index.json", "api/v1/models/", "curl", "import json", "pandas",
                   "only gains fields", "v2"):
        assert needle in text, needle


# -- derived facts ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(catalogue):
    return api.api_files(catalogue, {}, "2026-01-01T00:00:00Z")


def test_ranks_place_each_models_best_score_among_the_models_of_its_protocol(catalogue, files):
    """Recomputed from the records without builder.data.scores: per benchmark and protocol
    (split and setting, case and spaces aside, the record's aliases applied), a model's
    rank is 1 + the number of models with a better best score under that protocol."""
    benches = vocab.benchmarks()

    def protocol(r):
        aliases = {k.casefold(): v for k, v in benches[r.benchmark].protocol_aliases}
        norm = lambda t: None if t is None else aliases.get(" ".join(t.split()).casefold(), " ".join(t.split())).casefold()  # noqa: E731
        return norm(r.split), norm(r.setting)

    best: dict[tuple, dict[str, float]] = {}  # (benchmark, protocol) -> model id -> best score
    for o in catalogue.models:
        for r in o.results:
            per = best.setdefault((r.benchmark, protocol(r)), {})
            better = max if benches[r.benchmark].higher_is_better else min
            per[o.id] = better(per.get(o.id, r.normalized), r.normalized)
    for m in catalogue.models:
        doc = json.loads(files[f"api/v1/models/{m.id}.json"])
        expected = {}
        for (key, proto), per in best.items():
            if m.id in per:
                hib = benches[key].higher_is_better
                better = [v for v in per.values() if (v > per[m.id] if hib else v < per[m.id])]
                expected[(key, proto)] = (len(better) + 1, len(per))
        got = {}
        for r in doc["ranks"]:
            got[(r["benchmark"], r["protocol"])] = (r["rank"], r["entries"])
        assert sorted(got.values()) == sorted(expected.values()), m.id
        assert len(got) == len(expected) and {k for k, _ in got} == {k for k, _ in expected}, m.id
        mains = [r for r in doc["ranks"] if r["main_protocol"]]
        assert len({r["benchmark"] for r in mains}) == len(mains)  # one main protocol per benchmark


def test_families_name_the_registry_entry_of_each_component(catalogue, files):
    doc = json.loads(files["api/v1/models/llava-1-5.json"])
    llms = [f for f in doc["families"] if f["kind"] == "llm"]
    entry = catalogue.components.resolve("llm", "Vicuna-v1.5")
    assert llms == [{"stage": "llm_backbone", "kind": "llm", "name": "Vicuna-v1.5",
                     "component": entry.id, "family": entry.family,
                     "url": f"components/llm/{entry.id}/"}]
    summary = next(s for s in json.loads(files["api/v1/models.json"])["models"] if s["id"] == "llava-1-5")
    assert summary["families"]["llm"] == [entry.family]
    assert summary["results"] == len(next(m for m in catalogue.models if m.id == "llava-1-5").results)


def test_results_csv_is_the_export(catalogue, files):
    assert files["api/v1/results.csv"] == export_results(catalogue.models, "csv")
    rows = list(csv.DictReader(io.StringIO(files["api/v1/results.csv"])))
    assert [r["model_id"] for r in rows] == [r["model_id"] for r in json.loads(files["api/v1/results.json"])["results"]]


def test_api_files_are_the_same_for_the_same_catalogue(catalogue, files):
    assert api.api_files(catalogue, {}, "2026-01-01T00:00:00Z") == files


# -- build time ------------------------------------------------------------------------------

def test_build_time_follows_source_date_epoch():
    assert api.build_time({"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14T22:13:20Z"
    now = api.build_time({})
    assert now.endswith("Z") and now[:2] == "20"
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='soon' is not a whole number"):
        api.build_time({"SOURCE_DATE_EPOCH": "soon"})


def test_built_index_has_the_build_time(built_site):
    index = json.loads((built_site / V1 / "index.json").read_text(encoding="utf-8"))
    assert index["built_at"].endswith("Z") and index["schema_version"] == 1


def test_a_bad_source_date_epoch_stops_the_build_with_a_clear_message(tmp_path, monkeypatch):
    project = tmp_path / "tiny"
    shutil.copytree(TINY, project)
    (project / "site").mkdir()
    (project / "site" / "about.md").write_text("# About\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        f"site_name: t\ndocs_dir: site\nhooks:\n  - {ROOT}/builder/mkdocs_glue/hooks.py\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    proc = mmllm("build", cwd=project)
    assert proc.returncode != 0
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_api_pages_python_example_runs_against_the_site(site_server, capsys):
    text = (ROOT / "site" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    example = re.sub(r'^ATLAS = .*$', f'ATLAS = "{site_server}/"', blocks[0], count=1, flags=re.M)
    assert example != blocks[0]
    exec(compile(example, "site/api.md", "exec"), {})
    assert capsys.readouterr().out.startswith("{'models': ")
    if importlib.util.find_spec("pandas") is not None:  # the pandas example, where pandas is installed
        namespace: dict = {}
        exec(compile(example + blocks[1], "site/api.md", "exec"), namespace)
        assert len(namespace["models"]) > 200 and len(namespace["best"]) > 0


def test_each_leaderboard_page_links_a_json_and_csv_of_its_rows(catalogue, files):
    from_page = site_pages(catalogue)["benchmarks/mmmu.md"]
    assert 'href="../../api/v1/leaderboards/mmmu.csv"' in from_page
    assert 'href="../../api/v1/leaderboards/mmmu.json"' in from_page
    doc = json.loads(files["api/v1/leaderboards/mmmu.json"])
    table = list(csv.DictReader(io.StringIO(files["api/v1/leaderboards/mmmu.csv"])))
    boards = scores.boards("MMMU", catalogue.models)
    expected = [(b.protocol.key, s.model.id, s.rank, s.best.score) for b in boards for s in b.standings]
    assert [(r["protocol"], r["model"], r["rank"], r["score"]) for r in doc["rows"]] == expected
    assert doc["count"] == len(table) == len(expected) and list(table[0]) == doc["fields"]
    for j, c in zip(doc["rows"], table):
        assert c["model"] == j["model"] and float(c["score"]) == j["score"]
        assert c["main_protocol"] == str(j["main_protocol"]).lower()
    assert all(r["main_protocol"] == (r["protocol"] == "val") for r in doc["rows"])
