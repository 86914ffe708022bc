"""Golden pages of one dataset, one benchmark and one component entry (tiny fixture catalogue).
Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff."""
import os
from pathlib import Path

import pytest

from builder.pages.catalogue import (benchmark_page, catalogue_pages, component_page, dataset_page,
                                     model_links)
from builder.pages.site import site_pages
from schema.components import uses

GOLDEN = Path(__file__).parent / "golden"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_dataset_page(tiny):
    d = tiny.datasets[0]
    check("dataset-alpha-it.md", dataset_page(d, {m.id: m for m in tiny.models}))


def test_benchmark_page(tiny):
    check("benchmark-TB.md", benchmark_page(next(b for b in tiny.benchmarks if b.key == "TB")))


def test_component_page(tiny):
    reg = tiny.components
    entry = reg.get("llm", "vicuna-v1-5")
    check("component-llm-vicuna-v1-5.md",
          component_page("llm", entry, uses(tiny.models, reg)[("llm", "vicuna-v1-5")]))


def test_every_kind_has_pages_and_indexes(tiny):
    pages = catalogue_pages(tiny)
    for path in ["datasets/alpha-it.md", "datasets/index.md", "benchmarks/tb.md",
                 "benchmarks/tb2.md", "benchmarks/TB/index.html", "surveys/index.md",
                 "components/index.md", "components/encoder/index.md",
                 "components/encoder/clip-vit-l-14.md", "components/generator/stable-diffusion.md",
                 "coverage/index.md"]:
        assert path in pages
    assert 'href="clip-vit-l-14/"' in pages["components/encoder/index.md"]
    assert "No model record names it." in pages["components/encoder/eva-clip-vit-g-14.md"]


def test_model_page_links_components_and_datasets(tiny):
    alpha = next(m for m in tiny.models if m.id == "alpha")
    links = model_links(alpha, tiny.components, tiny.datasets)
    assert [(c.kind, c.entry.id) for c in links.components] == [("encoder", "clip-vit-l-14"),
                                                                ("llm", "vicuna-v1-5")]
    page = site_pages(tiny)["models/alpha.md"]
    assert 'href="../../components/encoder/clip-vit-l-14/"' in page
    assert "(the record says “clip vit-l/14”)" in page
    assert 'href="../../datasets/alpha-it/"' in page


def test_record_text_is_escaped(tiny):
    from schema.kinds import ComponentEntry
    evil = ComponentEntry(id="x", name="<script>alert(1)</script>", family="<b>f</b>")
    page = component_page("encoder", evil, [])
    assert "<script>" not in page and "&lt;b&gt;f&lt;/b&gt;" in page


@pytest.mark.parametrize("kind", ["encoder", "llm", "generator"])
def test_component_index_counts_users(tiny, kind):
    pages = catalogue_pages(tiny)
    assert pages[f"components/{kind}/index.md"].count("<tr>") == len(tiny.components.entries(kind)) + 1


def test_model_notes_show_without_catalogue_links(tiny):
    from builder.pages.model import model_page
    alpha = next(m for m in tiny.models if m.id == "alpha")
    noted = alpha.model_copy(update={"notes": ["a <b>curator</b> remark"]})
    page = model_page(noted, "models/alpha.yaml")
    assert "## Curator notes" in page and "a &lt;b&gt;curator&lt;/b&gt; remark" in page
