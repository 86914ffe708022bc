"""The shipped catalogue: every record valid, the schema file current, facts transcribed."""
from __future__ import annotations

import json

import yaml

from conftest import ROOT, mmllm
from schema import io_notation, load_catalogue
from schema.model import ModelRecord

REFERENCE = ROOT.parent / "shared" / "reference" / "site_posts.yaml"


def test_every_shipped_record_validates():
    cat = load_catalogue(ROOT)
    assert cat.ok, "\n".join(map(str, cat.problems))
    files = sorted(p.stem for p in (ROOT / "models").glob("[!_]*.yaml"))
    assert sorted(m.id for m in cat.models) == files
    assert len(files) >= 43


def test_committed_json_schema_is_current():
    proc = mmllm("schema", "--check", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads((ROOT / "schema" / "model.schema.json").read_text(encoding="utf-8"))
    # vocabularies reach editors as enums
    assert "bounding-box" in json.dumps(schema["$defs"]["IO"])


def test_records_carry_the_editor_modeline():
    for path in (ROOT / "models").glob("[!_]*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/model.schema.json", path


def test_survey_facts_are_transcribed_unchanged():
    """Every fully described model of the survey's tracker keeps its tracker facts."""
    if not REFERENCE.exists():  # the reference folder sits beside the checkout in CI
        import pytest
        pytest.skip("shared/reference not present")
    posts = [p for p in yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
             if p["kind"] == "model" and "architecture" in p]
    by_name = {m.name: m for m in load_catalogue(ROOT).models}
    assert len(posts) == 43
    fixes = yaml.safe_load((ROOT / "tracking" / "tracker-corrections.yaml").read_text(encoding="utf-8"))
    fixed_date = {f["id"]: f["value"] for f in fixes if f["field"] == "date"}
    for post in posts:
        m = by_name[post["name"]]
        assert m.date.isoformat() == fixed_date.get(m.id, post["date"])
        assert m.venue == post["venue"]
        assert m.paper.title == post["paper_title"] and m.paper.url == post["paper_url"]
        assert m.io.notation == post["io"]
        assert [f.capitalize() for f in m.functional] == post["functional"]
        assert m.design == post["design"][0].lower()
        llm_printed = "/".join(post["architecture"]["llm_backbone"])
        for llm in m.architecture.llm_backbone:
            assert llm.name in llm_printed
            assert all(size in llm_printed for size in llm.sizes)
        for stage in ("output_projector", "modality_generator"):
            assert (getattr(m.architecture, stage) == "none") == (post["architecture"][stage] == ["None"])
        for stage in ("pretraining", "instruction_tuning"):
            value = getattr(m.data_scale, stage)
            printed = post["dataset_scale"][stage]
            assert (value == "not reported") if printed == "Not report" else value.amount == printed


def test_io_notation_round_trips():
    assert io_notation(["image", "text"], ["bounding-box", "text"]) == "I+T -> I_B+T"
    m = ModelRecord.model_validate({
        "id": "x", "name": "X", "date": "2024-01-01", "added": "2024-01-02",
        "io": {"input": ["video", "image", "text"], "output": ["text"], "notation": "V+I+T -> T"},
        "functional": ["understanding"], "design": "end-to-end",
        "sources": [{"url": "https://example.org"}]})
    assert io_notation(m.io.input, m.io.output) == "V+I+T -> T"
