"""The shipped catalogue: every record of every kind validates, and the survey tracker's facts
and the reference files arrive unchanged."""
import csv
import sys

import yaml

from conftest import ROOT

REFERENCE = ROOT.parent.parent / "shared" / "reference"  # /work/shared/reference beside worktrees


def _reference(name):
    for base in (REFERENCE, ROOT.parent / "shared" / "reference", ROOT / ".." / "shared" / "reference"):
        if (base / name).exists():
            return base / name
    import pytest
    pytest.skip(f"reference file {name} not available")


def test_every_record_of_every_kind_validates(catalogue):
    assert catalogue.problems == []
    assert len(catalogue.models) >= 230
    assert len(catalogue.datasets) == 30
    assert len(catalogue.benchmarks) >= 26
    assert len(catalogue.surveys) == 5
    for kind in catalogue.components.kinds():
        assert catalogue.components.entries(kind)


def tracker_corrections():
    """{(record id, field): entry} of tracking/tracker-corrections.yaml: tracker facts that a
    primary source showed wrong (each entry has the tracker's value, the corrected one, why and
    the source)."""
    path = ROOT / "tracking" / "tracker-corrections.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    out = {}
    for e in entries or []:
        assert set(e) == {"id", "field", "tracker", "value", "why", "source"}, e
        assert e["source"].startswith(("http://", "https://")) and e["why"].strip(), e
        assert (e["id"], e["field"]) not in out, e
        out[(e["id"], e["field"])] = e
    return out


def test_tracker_models_are_present_with_their_facts(catalogue):
    sys.path.insert(0, str(ROOT / "scripts"))
    from import_site_posts import record
    posts = yaml.safe_load(_reference("site_posts.yaml").read_text(encoding="utf-8"))
    models = [p for p in posts if p["kind"] == "model"]
    assert len(models) == 154
    corrections = tracker_corrections()
    used = set()
    for post in models:
        expected = record(post)
        path = ROOT / "models" / f"{expected['id']}.yaml"
        actual = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("name", "date", "venue", "organizations", "paper", "links", "io",
                    "functional", "design"):
            fix = corrections.get((expected["id"], key))
            if fix is None:
                assert str(actual.get(key)) == str(expected.get(key)), (expected["id"], key)
                continue
            used.add((expected["id"], key))
            # the correction still answers what the tracker says, and the record holds the fix
            assert str(fix["tracker"]) == str(expected.get(key)), (expected["id"], key, "stale")
            assert str(actual.get(key)) == str(fix["value"]), (expected["id"], key)
    assert used == set(corrections), set(corrections) - used


def test_benchmark_keys_of_the_reference_are_records(catalogue):
    rows = list(csv.DictReader(_reference("benchmarks.csv").open(encoding="utf-8")))
    keys = {b.key for b in catalogue.benchmarks}
    assert {r["key"] for r in rows} <= keys


def test_vocabulary_api_still_returns_the_scorable_benchmarks():
    from schema import vocabularies as vocab
    bench = vocab.benchmarks()
    assert len(bench) == 26
    assert list(bench)[:3] == ["OKVQA", "IconVQA", "VQAv2"]
    assert bench["LLaVA-W"].scale_max is None and bench["MMB"].higher_is_better
    assert isinstance(bench["MMMU"], vocab.Benchmark)


def test_every_component_value_cites_a_source(catalogue):
    for m in catalogue.models:
        if m.architecture is None:
            continue
        for stage in ("modality_encoder", "input_projector", "llm_backbone", "output_projector",
                      "modality_generator"):
            value = getattr(m.architecture, stage)
            if isinstance(value, str):
                continue
            for item in value:
                assert item.source or m.architecture.source or \
                    any(s.kind not in (None, "survey") for s in m.sources), (m.id, stage, item.name)


def test_component_names_resolve_to_registry_families(catalogue):
    from schema.components import registry
    reg = registry(ROOT)
    assert reg.resolve("llm", "vicuna-v1.5").family == "Vicuna"
    assert reg.resolve("llm", "Vicuna v1.5") is reg.resolve("llm", "Vicuna-1.5")
    assert reg.resolve("encoder", "CLIP ViT-L/14").family == "CLIP"
    assert reg.resolve("encoder", "no such encoder") is None


def test_dataset_links_point_at_models(catalogue):
    ids = {m.id for m in catalogue.models}
    llava_it = next(d for d in catalogue.datasets if d.id == "llava-it")
    assert llava_it.models == ["llava"] and set(llava_it.models) <= ids
