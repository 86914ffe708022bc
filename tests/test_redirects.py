"""Ids that change keep working: `former_ids` are checked across records, and each gets a
page that sends the reader on (real `mkdocs build`, and the redirect followed in Chromium)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from builder.pages.redirects import redirect_pages
from conftest import ROOT, TINY, mmllm, served


def tiny_project(tmp_path: Path) -> Path:
    project = tmp_path / "tiny"
    shutil.copytree(TINY, project)
    (project / "site").mkdir()
    (project / "site" / "about.md").write_text("# About\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        f"site_name: t\ndocs_dir: site\nsite_dir: public\nhooks:\n  - {ROOT}/builder/mkdocs_glue/hooks.py\n",
        encoding="utf-8")
    return project


def add_former_ids(record: Path, ids: list[str]) -> None:
    text = record.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines(keepends=True) if line.startswith("name: "))
    record.write_text(text.replace(name_line, name_line + f"former_ids: [{', '.join(ids)}]\n", 1),
                      encoding="utf-8")


def test_a_former_id_that_is_another_records_id_is_an_error(tmp_path):
    project = tiny_project(tmp_path)
    add_former_ids(project / "models" / "alpha.yaml", ["beta"])
    proc = mmllm("validate", cwd=project)
    assert proc.returncode == 1
    assert "models/alpha.yaml:3:14: former_ids.0: 'beta' is the current id of another record" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_one_former_id_cannot_point_at_two_records(tmp_path):
    project = tiny_project(tmp_path)
    add_former_ids(project / "models" / "alpha.yaml", ["gamma"])
    add_former_ids(project / "models" / "beta.yaml", ["delta", "gamma"])
    proc = mmllm("validate", cwd=project)
    assert proc.returncode == 1
    assert "models/beta.yaml:3:21: former_ids.1: 'gamma' is already a former id of 'alpha'" in proc.stderr


def test_redirect_page_is_plain_html_with_relative_links_and_escaped_name(tiny):
    alpha = next(m for m in tiny.models if m.id == "alpha")
    renamed = alpha.model_copy(update={"former_ids": ["old-alpha", "alpha-v0"],
                                       "name": "<script>x</script> & Alpha"})
    pages = redirect_pages([renamed])
    assert set(pages) == {"models/old-alpha/index.html", "models/alpha-v0/index.html"}
    page = pages["models/old-alpha/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../alpha/">' in page
    assert '<a href="../alpha/">' in page
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; Alpha" in page


def test_built_site_redirects_former_ids_and_lists_them(tmp_path, monkeypatch):
    project = tiny_project(tmp_path)
    add_former_ids(project / "models" / "alpha.yaml", ["old-alpha"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    proc = mmllm("build", cwd=project)
    assert proc.returncode == 0, proc.stderr
    public = project / "public"
    assert (public / "models" / "old-alpha" / "index.html").is_file()
    assert (public / "models" / "alpha" / "index.html").is_file()
    summaries = json.loads((public / "api" / "v1" / "models.json").read_text(encoding="utf-8"))["models"]
    assert next(s for s in summaries if s["id"] == "alpha")["former_ids"] == ["old-alpha"]
    index = json.loads((public / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert index["built_at"] == "2023-11-14T22:13:20Z"
    # the same catalogue and SOURCE_DATE_EPOCH give the same API files
    first = {p.relative_to(public): p.read_bytes() for p in (public / "api" / "v1").rglob("*") if p.is_file()}
    assert mmllm("build", cwd=project).returncode == 0
    again = {p.relative_to(public): p.read_bytes() for p in (public / "api" / "v1").rglob("*") if p.is_file()}
    assert again == first


def test_the_browser_follows_the_redirect(chromium_browser, built_site, catalogue, tmp_path):
    model = next(m for m in catalogue.models if m.id == "llava-1-5")
    shutil.copytree(built_site / "models" / model.id, tmp_path / "models" / model.id)
    for path, text in redirect_pages([model.model_copy(update={"former_ids": ["llava-15"]})]).items():
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    with served(tmp_path) as url:
        page = chromium_browser.new_page()
        try:
            page.goto(f"{url}/models/llava-15/")
            page.wait_for_url(f"{url}/models/llava-1-5/")
            assert page.locator("h1").first.text_content().rstrip("¶").strip() == model.name
        finally:
            page.close()

