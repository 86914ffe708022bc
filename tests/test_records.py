"""The shipped catalogue: every record valid, the schema file current, facts transcribed."""
from __future__ import annotations

import json
from typing import Annotated

import yaml
from pydantic import StringConstraints, TypeAdapter, ValidationError

from conftest import ROOT, mmllm
from schema import io_notation, load_catalogue
from schema.model import ModelRecord, Text, io_notation_pattern, parse_io_notation

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


def test_published_io_notation_pattern_reads_what_validate_reads(catalogue):
    """The pattern editors check io.notation with accepts exactly the Text that
    parse_io_notation reads."""
    accepts = TypeAdapter(Annotated[str, StringConstraints(pattern=io_notation_pattern())])
    is_text = TypeAdapter(Text)
    shipped = [m.io.notation for m in catalogue.models if m.io.notation]
    odd = ["I+T => T", "I+T -> T -> T", "I+T->T", " I + T ->  T ", "I\u3000+T -> T",
           "I\xa0-> T", "I\u200b-> T", "I+ -> T", "+I -> T", "I++T -> T", "-> T", "I ->",
           "A(Speech+Music)+T -> T", "A(Speech)+T -> T", "I/V+T -> T", "V/I+T -> T",
           "i+t -> t", "I_B+T -> 3D", "I+(T) -> T", "Action+Plan -> Observation", "I+T -> T\n"]
    assert len(shipped) >= 40
    differ = []
    for text in shipped + odd:
        try:
            accepts.validate_python(text)
            accepted = True
        except ValidationError:
            accepted = False
        try:
            readable = parse_io_notation(is_text.validate_python(text)) is not None
        except ValidationError:
            readable = False
        if accepted != readable:
            differ.append(text)
    assert differ == []


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
