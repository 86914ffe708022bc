"""Shared helpers of the benchmark-results tests (not a test module)."""
from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def importer():
    return load_script("import_scores")


def reference_csv() -> Path:
    return importer().DEFAULT_CSV


def survey_rows_csv() -> list[dict]:
    with open(reference_csv(), encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["source_kind"] == "survey-table"]


def merged_models(tmp: Path) -> Path:
    """models/ of this branch plus a record for every survey-tracker model not yet in it,
    made by scripts/import_site_posts.py from the reference list: the catalogue as it will be
    after the catalogue branch is merged (records from sourced facts only)."""
    dest = tmp / "models"
    shutil.copytree(ROOT / "models", dest)
    posts_mod = load_script("import_site_posts")
    posts = yaml.safe_load((reference_csv().parent / "site_posts.yaml").read_text(encoding="utf-8"))
    have, labels, papers = set(), set(), set()
    for path in dest.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        have.add(data.get("id", path.stem))
        labels.update(str(x).casefold() for x in [data.get("name"), *(data.get("aliases") or [])])
        if (data.get("paper") or {}).get("arxiv"):
            papers.add(str(data["paper"]["arxiv"]))
    for post in posts:
        if post["kind"] != "model" or post["name"].casefold() in labels \
                or (post.get("arxiv_id") and str(post["arxiv_id"]) in papers):
            continue  # the catalogue already has it (perhaps under another id)
        rec = posts_mod.record(post)
        if rec["id"] not in have:
            (dest / f"{rec['id']}.yaml").write_text(posts_mod.dump(rec), encoding="utf-8")
    return dest


# -- reading rendered tables ---------------------------------------------------------------

from html.parser import HTMLParser  # noqa: E402


class Tables(HTMLParser):
    """Cells of every <table id=...>: tables[id] = [[cell, ...], ...] for body rows, where a
    cell is a dict: tag, attrs, text (all text), link (text of its first <a>), href, sup."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[dict]]] = {}
        self._table = None
        self._in_body = False
        self._cell = None
        self._in_a = False
        self._in_sup = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], [])
        elif self._table is None:
            return
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._table.append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = {"tag": tag, "attrs": a, "text": "", "link": None, "href": None, "sup": ""}
            self._table[-1].append(self._cell)
        elif tag == "a" and self._cell is not None and self._cell["href"] is None:
            self._cell["href"] = a.get("href")
            self._cell["link"] = ""
            self._in_a = True
        elif tag == "sup" and self._cell is not None:
            self._in_sup = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._table, self._in_body = None, False
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "a":
            self._in_a = False
        elif tag == "sup":
            self._in_sup = False

    def handle_data(self, data):
        if self._cell is None:
            return
        self._cell["text"] += data
        if self._in_a:
            self._cell["link"] += data
        if self._in_sup:
            self._cell["sup"] += data
