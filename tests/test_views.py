"""Behaviour of the trees, charts, families and compare data, on the real catalogue and on
made-up records."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from builder.data import families, trees
from builder.pages import charts, views
from builder.pages.compare import compare_data, json_for_script
from schema import ModelRecord, load_catalogue
from views_data import SRC, fixture_models

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalogue_models() -> list[ModelRecord]:
    cat = load_catalogue(ROOT)
    assert cat.ok, cat.problems
    return cat.models


def leaf_ids(nodes) -> set[str]:
    return trees.Tree("root", children=nodes).model_ids()


# -- done-when conditions of the issue, on the real catalogue --------------------------------

def test_every_model_in_io_tree(catalogue_models):
    nodes = trees.io_tree(catalogue_models)
    assert leaf_ids(nodes) == {m.id for m in catalogue_models}
    assert sum(n.count for n in nodes) == len(catalogue_models)  # each model in one category


def test_every_model_on_timeline(catalogue_models):
    svg = charts.timeline_svg(catalogue_models)
    linked = re.findall(r'<a role="listitem" href="\.\./models/([a-z0-9-]+)/">', svg)
    assert sorted(linked) == sorted(m.id for m in catalogue_models)


@pytest.mark.parametrize("kind", ["encoder", "projector", "llm", "generator"])
def test_component_trees_account_for_every_model(catalogue_models, kind):
    nodes = trees.component_tree(catalogue_models, kind)
    assert leaf_ids(nodes) == {m.id for m in catalogue_models}
    with_arch = {m.id for m in catalogue_models if m.architecture}
    named = leaf_ids([n for n in nodes if n.label != trees.ABSENT_LABELS["no-architecture"]])
    assert with_arch <= named


def test_counts_are_distinct_models():
    models = fixture_models()
    enc = {n.label: n for n in trees.component_tree(models, "encoder")}
    # Beta has two EVA-CLIP encoders: two name nodes, one model at the family
    assert [c.count for c in enc["EVA-CLIP"].children] == [1, 1]
    assert enc["EVA-CLIP"].count == 1


def test_io_order_text_first_any_to_any_last():
    labels = [n.label for n in trees.io_tree(fixture_models())]
    assert labels == ["I+T → T", "V+T → T", "A+T → T", "I+T → I+T", "I+V+A+T → I+V+A+T"]
    tags = {n.label: n.tag for n in trees.io_tree(fixture_models())}
    assert tags["I+V+A+T → I+V+A+T"] == "any-to-any" and tags["I+T → I+T"] == ""


# -- families ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,name,family", [
    ("encoder", "CLIP ViT-L/14", "CLIP"),
    ("encoder", "Eva-CLIP ViT-G/14", "EVA-CLIP"),
    ("encoder", "EVA02-CLIP-L", "EVA-CLIP"),
    ("encoder", "CLIP/Eva-CLIP ViT", "CLIP or EVA-CLIP (not specified)"),
    ("encoder", "ViT initialized from OpenCLIP’s ViT-bigG", "OpenCLIP"),
    ("encoder", "ViT-G", "ViT (pre-training not specified)"),
    ("encoder", "BEATs", "BEATs"),
    ("llm", "Vicuna-v1.5", "Vicuna"),
    ("llm", "LLaMA-2-Chat", "LLaMA"),
    ("llm", "Nous-Hermes-2-Yi-34B", "Yi"),
    ("llm", "OPT", "OPT"),
    ("llm", "Chinchilla", "Chinchilla"),
    ("llm", "Something new", "Other LLMs"),
    ("generator", "StableDiffusion-2", "Stable Diffusion"),
])
def test_family_rules(kind, name, family):
    """The fallback name patterns, for names outside the registry."""
    assert families.family_of_name(kind, name, families.rules()) == family


@pytest.mark.parametrize("kind,name", [("encoder", "ViT initialized from OpenCLIP’s ViT-bigG"),
                                       ("llm", "MobileLLaMA"), ("llm", "UL2")])
def test_registry_family_wins_for_registry_names(kind, name):
    from schema.components import registry
    entry = registry().resolve(kind, name)
    assert entry is not None and families.family_of_name(kind, name) == entry.family


def test_family_of_takes_an_item():
    llm = fixture_models()[0].architecture.llm_backbone[0]
    assert families.family_of("llm", llm) == "Vicuna"
    with pytest.raises(ValueError, match="unknown component kind"):
        families.family_of("tokenizer", llm)


def test_family_rules_errors_are_clear():
    good = {k: {"fallback": "Other", "rules": []} for k in families.KINDS}
    assert families.parse_rules(good)["llm"].fallback == "Other"
    bad = dict(good, llm={"fallback": "Other", "rules": [{"family": "X", "patterns": ["("]}]})
    with pytest.raises(families.FamilyRulesError, match=r"f.yaml: llm: rule 1 \(X\): pattern '\('"):
        families.parse_rules(bad, "f.yaml")
    with pytest.raises(families.FamilyRulesError, match="encoder: needs `fallback`"):
        families.parse_rules({}, "f.yaml")


def test_real_rule_table_loads():
    assert set(families.rules()) == set(families.KINDS)


# -- charts -----------------------------------------------------------------------------------

def test_pack_rows_never_overlaps():
    items = [(None, float(x), 50.0) for x in (0, 10, 20, 60, 65, 200)]
    placed = charts.pack_rows(items, gap=8)
    rows: dict[int, list[tuple[float, float]]] = {}
    for p, (_m, x, w) in zip(placed, items):
        rows.setdefault(p.row, []).append((x, x + w))
    for spans in rows.values():
        for (a0, a1), (b0, _b1) in zip(spans, spans[1:]):
            assert a1 + 8 <= b0
    assert [p.row for p in placed] == [0, 1, 2, 0, 3, 0]


def _synthetic(n: int) -> list[ModelRecord]:
    cats = [(["image", "text"], ["text"]), (["video", "text"], ["text"]),
            (["image", "text"], ["image", "text"]), (["audio", "text"], ["audio", "text"])]
    out = []
    for i in range(n):
        ins, outs = cats[i % len(cats)]
        day = dt.date(2023, 1, 1) + dt.timedelta(days=(i * 37) % 1100)
        out.append(ModelRecord.model_validate({
            "id": f"m{i}", "name": f"Model number {i}", "date": day.isoformat(),
            "added": "2026-11-01", "io": {"input": ins, "output": outs},
            "functional": ["understanding"], "design": "end-to-end", "sources": SRC}))
    return out


def test_timeline_scales_to_250_models():
    models = _synthetic(250)
    svg = charts.timeline_svg(models)
    assert svg.count('role="listitem"') == 250
    # labels in one row of one lane never overlap (estimated widths)
    by_row: dict[tuple[str, str], list[float]] = {}
    for cy, x, name in re.findall(r'cy="([\d.]+)" r="4"/><text class="mm-label" x="([\d.]+)" '
                                  r'y="[\d.]+">([^<]+)</text>', svg):
        by_row.setdefault(cy, []).append((float(x), len(name) * charts.CHAR_W))
    for spans in by_row.values():
        spans.sort()
        for (x0, w0), (x1, _w1) in zip(spans, spans[1:]):
            assert x0 + w0 <= x1
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    assert width < 4000  # one px-per-month scale, scrolls sideways


def test_period_unit_and_range():
    models = _synthetic(250)
    assert charts.period_unit(models) == "quarter"
    sparse = fixture_models()
    assert charts.period_unit(sparse) == "half"
    assert charts.period_range(sparse, "half") == ["2023 H1", "2023 H2", "2024 H1"]
    assert charts.period_of(dt.date(2024, 7, 1), "quarter") == "2024 Q3"


def test_share_tables_add_up():
    models = fixture_models()
    periods = charts.period_range(models, "half")
    series = charts.category_series(models, periods, "half",
                                    lambda m: charts.stage_labels(m, "projector"))
    by = {s.label: s.counts for s in series}
    assert by["Linear projector"] == [1, 1, 1]
    assert by["Not reported"] == [0, 0, 2]  # Theta (unknown) and Eta (no architecture)


def test_sizes_parse():
    assert charts.parse_size("350M") == pytest.approx(0.35)
    assert charts.parse_size("1.4B") == 1.4
    assert charts.fmt_b(0.35) == "350M"
    sizes = [(m.id, s) for m, s, _b in charts.llm_sizes(fixture_models())]
    assert ("alpha-vl", "13B") in sizes and ("zeta-any", "350M") in sizes


def test_svg_has_accessible_names_and_no_colours():
    for svg in (charts.timeline_svg(fixture_models()), views.trend_charts(fixture_models())[1][0]["svg"]):
        assert re.search(r'<svg [^>]*aria-labelledby="([\w-]+)-title \1-desc"', svg)
        assert "<title id=" in svg and "<desc id=" in svg
        assert not re.search(r'(fill|stroke)="#|(fill|stroke):\s*#', svg)  # colours come from CSS
        assert "\n\n" not in svg  # a blank line would end the raw HTML block in Markdown


# -- compare ----------------------------------------------------------------------------------

def test_json_for_script_cannot_break_out():
    data = {"name": "</script><script>alert(1)</script> & <!--", "sep": "\u2028"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_compare_data_has_every_model(catalogue_models):
    data = compare_data(catalogue_models)
    assert [m["id"] for m in data["models"]] == sorted(
        (m.id for m in catalogue_models), key=lambda i: next(
            (m.name.lower(), m.id) for m in catalogue_models if m.id == i))
    llava = next(m for m in data["models"] if m["id"] == "llava")
    assert set(llava["stages"]) == {k for k, _ in data["stages"]}


def test_compare_page_embeds_escaped_blob():
    page = views.compare_page(fixture_models())
    blob = re.search(r'<script type="application/json" id="mm-compare-data">(.*?)</script>', page, re.S)
    assert blob and "Beta \\u003cChat\\u003e \\u0026 Co" in blob.group(1)
    assert json.loads(blob.group(1))["models"][1]["name"] == "Beta <Chat> & Co"
    assert "<noscript>" in page and 'src="../assets/compare.js"' in page
