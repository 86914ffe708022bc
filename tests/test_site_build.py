"""A real `mkdocs build --strict` of the project, as a user runs it."""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from conftest import mmllm, run


def build(project: Path, env: dict[str, str] | None = None) -> tuple[object, Path]:
    out = project / "out"
    proc = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out),
               cwd=project, env=env)
    return proc, out


def test_strict_build_yields_a_page_per_model_index_and_tree(project: Path):
    proc, out = build(project)
    assert proc.returncode == 0, proc.stderr
    ids = sorted(p.stem for p in (project / "models").glob("[!_]*.yaml"))
    pages = sorted(p.parent.name for p in (out / "models").glob("*/index.html"))
    assert pages == ids
    index = (out / "models" / "index.html").read_text(encoding="utf-8")
    for model_id in ids:
        assert f'href="{model_id}/"' in index
    tree = (out / "taxonomy" / "index.html").read_text(encoding="utf-8")
    tree = tree[tree.index('aria-label="Models by I→O category"'):]  # the first tree, by I->O
    tree = tree[:tree.index("</nav>")]
    leaves = re.findall(r'<li><a href="\.\./models/([a-z0-9-]+)/">', tree)
    assert sorted(leaves) == ids  # every model is a leaf, once
    llava = (out / "models" / "llava" / "index.html").read_text(encoding="utf-8")
    assert "<title>LLaVA - MM-LLMs Atlas</title>" in llava
    assert 'class="mm-pipeline"' in llava and "CLIP ViT-L/14" in llava
    # no REPO_URL, as in a local build: no repository link and no edit links, not broken ones
    assert "md-source" not in llava and "/edit/" not in llava
    assert "<loc>" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_build_published_under_a_project_path(project: Path):
    """What the Pages workflow does for https://OWNER.github.io/REPO/: every absolute link the
    site makes (sitemap, feeds, the 404 page, edit links) is under that path."""
    site = "https://example.org/atlas/"
    proc, out = build(project, env={"SITE_URL": site, "REPO_URL": "https://github.com/example/atlas",
                                    "EDIT_URI": "edit/trunk/site/"})
    assert proc.returncode == 0, proc.stderr
    locs = re.findall(r"<loc>([^<]*)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    assert site + "models/llava/" in locs and site + "about/" in locs
    assert all(loc.startswith(site) for loc in locs)
    for feed in [out / "feed.xml", *sorted((out / "feeds").glob("*.xml"))]:
        links = re.findall(r'<link [^>]*href="([^"]*)"', feed.read_text(encoding="utf-8"))
        assert links and all(link.startswith(site) for link in links), (feed, links)
    # Material's 404 page is served at any depth, so its links are absolute: under the path
    page = (out / "404.html").read_text(encoding="utf-8")
    local = [h for h in re.findall(r'(?:href|src)="([^"]*)"', page) if not h.startswith("https://")]
    assert "/atlas/models/" in local and "/atlas/assets/atlas.css" in local
    assert all(h.startswith("/atlas/") for h in local), local
    llava = (out / "models" / "llava" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/atlas/edit/trunk/models/llava.yaml"' in llava
    assert 'href="https://github.com/example/atlas"' in llava  # the repository link


def test_nav_does_not_list_model_pages(project: Path):
    proc, out = build(project)
    assert proc.returncode == 0, proc.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "models/llava/" not in nav


def test_no_generated_page_is_written_into_the_sources(project: Path):
    before = sorted(p.relative_to(project) for p in (project / "site").rglob("*"))
    proc, _ = build(project)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(project) for p in (project / "site").rglob("*")) == before


def test_built_site_makes_no_external_request(project: Path):
    proc, out = build(project)
    assert proc.returncode == 0, proc.stderr
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or 'rel="noopener"' in tag, (page, tag)


def test_invalid_record_fails_the_build_with_validate_messages(project: Path):
    record = project / "models" / "llava.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("design: end-to-end", "design: end2end"),
                      encoding="utf-8")
    proc, out = build(project)
    assert proc.returncode != 0
    expected = "models/llava.yaml:26:1: design: 'end2end' is not a known value (did you mean 'end-to-end'?)"
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    validate = mmllm("validate", cwd=project)
    assert validate.returncode == 1 and expected in validate.stderr


def test_record_text_is_shown_as_text_never_markup(project: Path):
    record = project / "models" / "llava.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("name: LLaVA\n", "name: LLaVA <script>alert('x')</script> *bold* [a](https://e.org)\n")
    text = text.replace("venue: NeurIPS 2023", "venue: '<img src=x onerror=alert(1)>'")
    record.write_text(text, encoding="utf-8")
    proc, out = build(project)
    assert proc.returncode == 0, proc.stderr
    for page in ["models/llava/index.html", "models/index.html", "taxonomy/index.html",
                 "timeline/index.html", "compare/index.html"]:
        body = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in body and "<img src=x" not in body, page
        assert "alert(&#39;x&#39;)" in body or "alert(&#x27;x&#x27;)" in body or "alert('x')" in html.unescape(body)
    page = (out / "models/llava/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<strong>bold</strong>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_build_has_the_pages_of_every_record_kind(project: Path):
    proc, out = build(project)
    assert proc.returncode == 0, proc.stderr
    for page in ["datasets/index.html", "datasets/llava-it/index.html", "benchmarks/index.html",
                 "benchmarks/mmb/index.html", "benchmarks/geochat/index.html",
                 "benchmarks/MMB/index.html",  # a redirect to benchmarks/mmb/
                 "surveys/index.html", "components/index.html", "components/llm/index.html",
                 "components/llm/vicuna-v1-5/index.html", "components/encoder/clip-vit-l-14/index.html",
                 "coverage/index.html"]:
        assert (out / page).is_file(), page
    vicuna = (out / "components/llm/vicuna-v1-5/index.html").read_text(encoding="utf-8")
    assert 'href="../../../models/llava-1-5/"' in vicuna
    home = (out / "index.html").read_text(encoding="utf-8")
    for label in ("Datasets", "Benchmarks", "Components", "Surveys", "Coverage"):
        assert label in home
    llava = (out / "models/llava/index.html").read_text(encoding="utf-8")
    assert "../../components/llm/vicuna/" in llava and "../../datasets/llava-it/" in llava
