"""The built site: real `mkdocs build --strict`, exports, and the comparison table's script
in real headless Chromium (Debian's /usr/bin/chromium driven by playwright)."""
from __future__ import annotations

import csv
import json
import re
from urllib.parse import urljoin

import pytest


from builder.data import scores
from builder.pages import results
from results_support import ROOT, Tables
from schema import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT)


def test_build_writes_exports_and_pages(built_site, catalogue):
    total = sum(len(m.results) for m in catalogue.models)
    data = json.loads((built_site / "api" / "results.json").read_text(encoding="utf-8"))
    assert len(data["results"]) == total
    with open(built_site / "api" / "results.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == total
    html = (built_site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    rows = Tables(html).tables["mm-results"]
    assert len(rows) == len(scores.rows_of(catalogue.models))  # complete without JS
    assert (built_site / "benchmarks" / "MME-P" / "index.html").exists()
    assert "Benchmark results" in (built_site / "models" / "llava-1-5" / "index.html").read_text(encoding="utf-8")


# -- in Chromium ---------------------------------------------------------------------------

def open_table(pg, query=""):
    pg.goto(f"{pg.base}/benchmarks/{query}")
    pg.wait_for_selector("#mm-controls:not([hidden])")


VISIBLE = """(col) => Array.from(document.querySelectorAll('#mm-results tbody tr'))
  .filter(tr => !tr.hidden).map(tr => {
    const c = tr.cells[col]; const a = c.querySelector('a');
    const hidden = a && getComputedStyle(a).display === 'none';
    return {label: tr.cells[0].textContent.trim(), text: (a && !hidden) ? a.textContent : '',
            v: c.dataset.v || null, fam: tr.dataset.fam, s: tr.dataset.s, y: tr.dataset.y,
            o: tr.dataset.o, io: tr.dataset.io, k: c.dataset.k || null};
  })"""


def col_index(pg, key):
    return pg.evaluate("""(key) => { const heads = document.querySelectorAll('#mm-results thead tr')[1].cells;
      for (let i = 0; i < heads.length; i++) if (heads[i].querySelector('a').textContent === key)
        return i + document.querySelectorAll('#mm-results thead th[data-c]').length;
      return -1; }""", key)


def numbers(cells):
    return [None if not c["text"] else float(c["v"] or c["text"]) for c in cells]


def test_sort_numbers_as_numbers_blanks_last(page):
    open_table(page, "?n=all")  # every row, so the column holds both 4- and 3-digit scores
    i = col_index(page, "MME-P")
    page.click('#mm-results th:has(a:text-is("MME-P")) button.mm-sort')
    vals = numbers(page.evaluate(VISIBLE, i))
    filled = [v for v in vals if v is not None]
    assert filled == sorted(filled, reverse=True) and len(filled) > 10
    assert vals[: len(filled)] == filled  # blanks last
    assert max(filled) > 1000 and min(filled) < 1000  # 1531.3 > 295.4 as numbers, not text
    assert "sort=MME-P" in page.url and "dir=desc" in page.url
    page.click('#mm-results th:has(a:text-is("MME-P")) button.mm-sort')
    vals = numbers(page.evaluate(VISIBLE, i))
    filled = [v for v in vals if v is not None]
    assert filled == sorted(filled) and vals[: len(filled)] == filled
    assert "dir=asc" in page.url
    # a text column
    page.click('#mm-results th[data-c="model"] button.mm-sort')
    labels = [c["label"].casefold() for c in page.evaluate(VISIBLE, 0)]
    assert labels == sorted(labels)


def test_filters(page, catalogue):
    open_table(page, "?n=all")
    total = len(scores.rows_of(catalogue.models))
    page.fill('input[name="q"]', "vila")
    rows = page.evaluate(VISIBLE, 0)
    assert rows and all("vila" in r["label"].casefold() for r in rows) and len(rows) < total
    count = page.eval_on_selector('output[name="count"]', "e => e.value")
    assert count == f"{len(rows)} shown · {len(rows)} match · {total} rows"
    page.fill('input[name="q"]', "")
    page.select_option('select[name="fam"]', "Vicuna")
    rows = page.evaluate(VISIBLE, 0)
    assert rows and {r["fam"] for r in rows} == {"Vicuna"}
    page.select_option('select[name="fam"]', "")
    page.fill('input[name="smin"]', "10")
    page.fill('input[name="smax"]', "20")
    rows = page.evaluate(VISIBLE, 0)
    assert rows and all(10 <= float(r["s"]) <= 20 for r in rows)
    page.fill('input[name="smin"]', "")
    page.fill('input[name="smax"]', "")
    page.select_option('select[name="year"]', "2022")
    rows = page.evaluate(VISIBLE, 0)
    assert rows and {r["y"] for r in rows} == {"2022"}
    page.select_option('select[name="year"]', "")
    page.select_option('select[name="io"]', "I+T -> T")
    rows = page.evaluate(VISIBLE, 0)
    assert rows and {r["io"] for r in rows} == {"I+T -> T"}
    page.select_option('select[name="io"]', "")
    by_open = {}
    for value in ("yes", "no", "unknown"):
        page.select_option('select[name="open"]', value)
        rows = page.evaluate(VISIBLE, 0)
        assert {r["o"] for r in rows} <= {value}
        by_open[value] = len(rows)
    assert sum(by_open.values()) == total and by_open["yes"] > 0  # each row in exactly one
    page.select_option('select[name="open"]', "")
    page.select_option('select[name="kind"]', "leaderboard")
    i = col_index(page, "MMMU")
    cells = page.evaluate(VISIBLE, i)
    assert cells and all(c["k"] == "l" for c in cells if c["text"])


def test_rows_shown_are_limited_and_chosen(page, catalogue):
    total = len(scores.rows_of(catalogue.models))
    open_table(page)
    assert len(page.evaluate(VISIBLE, 0)) == min(50, total)
    page.select_option('select[name="n"]', "all")
    assert len(page.evaluate(VISIBLE, 0)) == total
    assert "n=all" in page.url
    # sorting keeps the best rows in view: the top 50 by MME-P are the 50 shown
    page.select_option('select[name="n"]', "")
    page.click('#mm-results th:has(a:text-is("MME-P")) button.mm-sort')
    shown = numbers(page.evaluate(VISIBLE, col_index(page, "MME-P")))
    everything = sorted((float(r.cells["MME-P"].result.normalized)
                         for r in scores.rows_of(catalogue.models) if "MME-P" in r.cells), reverse=True)
    assert [v for v in shown if v is not None] == everything[:50]


def test_column_groups(page):
    open_table(page)
    assert page.is_visible('#mm-results th:has(a:text-is("MMMU"))')
    page.uncheck('input[name="show"][value="newer"]')
    assert not page.is_visible('#mm-results th:has(a:text-is("MMMU"))')
    assert page.is_visible('#mm-results th:has(a:text-is("GQA"))')
    assert "hide=newer" in page.url


def test_state_is_restored_from_the_url(page):
    open_table(page)
    page.fill('input[name="q"]', "llava")
    page.select_option('select[name="fam"]', "Vicuna")
    page.click('#mm-results th:has(a:text-is("GQA")) button.mm-sort')
    page.uncheck('input[name="show"][value="newer"]')
    i = col_index(page, "GQA")
    before = page.evaluate(VISIBLE, i)
    url = page.url
    page.reload()
    page.wait_for_selector("#mm-controls:not([hidden])")
    assert page.url == url
    assert page.input_value('input[name="q"]') == "llava"
    assert page.input_value('select[name="fam"]') == "Vicuna"
    assert not page.is_checked('input[name="show"][value="newer"]')
    assert page.evaluate(VISIBLE, i) == before
    # the same view in a fresh page from the shared link
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_selector("#mm-controls:not([hidden])")
    assert page.evaluate(VISIBLE, i) == before


def test_survey_view_link_shows_the_survey_cells(page, catalogue):
    open_table(page)
    page.click('a[data-view="survey"]')
    page.wait_for_selector("#mm-controls:not([hidden])")
    assert "kind=s" in page.url and "hide=newer" in page.url
    survey = Tables(results.survey_html(catalogue.models)).tables["mm-survey"]
    expected = {}
    for cells in survey:
        for c in cells[2:]:
            if c["link"] is not None:
                expected[(cells[0]["text"].strip(), c["attrs"]["data-b"])] = c["link"]
    shown = {}
    for key in {k for _, k in expected}:
        i = col_index(page, key)
        for cell in page.evaluate(VISIBLE, i):
            if cell["text"]:
                shown.setdefault(key, []).append(cell["text"])
    assert set(shown) == {k for _, k in expected}
    for key in shown:
        assert sorted(shown[key]) == sorted(v for (_, k), v in expected.items() if k == key)
    rows = page.evaluate(VISIBLE, 0)
    assert len(rows) == len(survey)


def test_without_javascript_the_table_is_complete(chromium_browser, site_server, catalogue):
    ctx = chromium_browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(f"{site_server}/benchmarks/")
    rows = pg.locator("#mm-results tbody tr")
    assert rows.count() == len(scores.rows_of(catalogue.models))
    assert pg.locator("#mm-results tbody tr:visible").count() == rows.count()
    assert not pg.is_visible("#mm-controls")  # the controls need the script
    assert pg.locator("#mm-survey tbody tr").count() == len(scores.survey_rows(catalogue.models))
    ctx.close()


VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('#mm-results tbody tr')).filter(tr => !tr.hidden)
  .map(tr => ({label: tr.cells[0].textContent.trim(), date: tr.cells[1].textContent,
               llm: tr.cells[3].firstChild ? tr.cells[3].firstChild.textContent : '',
               rec: tr.cells[3].classList.contains('mm-rec'), fam: tr.dataset.fam}))"""


def test_rows_come_newest_first_each_with_its_llm(page, catalogue):
    open_table(page)
    rows = page.evaluate(VISIBLE_ROWS)
    assert len(rows) == 50
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    newest = max(m.date for m in catalogue.models if m.results).isoformat()
    assert rows[0]["date"] == newest
    assert page.get_attribute('#mm-results th[data-c="released"]', "aria-sort") == "descending"
    # a row whose sources do not name the LLM shows the record's backbone, marked as such
    open_table(page, "?n=all&fam=Qwen")
    qwen = page.evaluate(VISIBLE_ROWS)
    labels = {r["label"] for r in qwen}
    assert {"Qwen2-VL", "Qwen2.5-VL"} <= labels and len(qwen) > 20
    from_record = [r for r in qwen if r["rec"]]
    assert from_record and all(r["llm"].startswith("Qwen") for r in from_record)
    # only rows that neither a source nor the record names an LLM for are left blank
    open_table(page, "?n=all")
    blank = sum(1 for r in page.evaluate(VISIBLE_ROWS) if not r["llm"])
    assert blank == sum(1 for r in scores.rows_of(catalogue.models) if not r.llm)


STICKY = """() => {
  const wrap = document.querySelector('.mm-comparison .mm-table-wrap');
  const row = document.querySelector('#mm-results tbody tr:not([hidden])');
  wrap.scrollLeft = wrap.scrollWidth; wrap.scrollTop = 400;
  const box = wrap.getBoundingClientRect(), name = row.cells[0].getBoundingClientRect();
  const score = Array.from(row.cells).slice(6).map(c => c.getBoundingClientRect())
    .filter(r => r.left >= name.right - 1 && r.right <= box.right + 1);
  return {scrolledX: wrap.scrollLeft, scrolledY: wrap.scrollTop, wrapLeft: box.left, wrapTop: box.top,
          wrapWidth: box.width, nameLeft: name.left, nameWidth: name.width, scoresInView: score.length,
          headTop: document.querySelector('#mm-results thead th[data-c="model"]').getBoundingClientRect().top};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_model_column_and_header_stay_in_view_while_scrolling(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_table(page)
    at = page.evaluate(STICKY)
    assert at["scrolledX"] > 500 and at["scrolledY"] > 100  # the table really scrolled
    assert abs(at["nameLeft"] - at["wrapLeft"]) <= 1  # the model names stay at the left edge
    assert abs(at["headTop"] - at["wrapTop"]) <= 1  # the header stays at the top
    # on a phone the model column leaves room for the scores beside it
    assert at["nameWidth"] <= at["wrapWidth"] / 2 and at["scoresInView"] >= 2


# elements sticking out of the screen, other than inside a box the reader can scroll
OVERFLOWING = """() => {
  const W = window.innerWidth, out = [];
  const scrolls = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  for (const el of document.querySelectorAll('.md-main *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.right <= W + 1 || el.closest('.md-sidebar, [hidden]')) continue;
    if (!scrolls(el)) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  return out;
}"""


def test_no_page_is_wider_than_a_phone(page, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    many = max(catalogue.models, key=lambda m: len(m.results)).id
    for path in ("", "benchmarks/", "benchmarks/MMMU/", "compare/?m=llava,qwen2.5-vl", "models/",
                 f"models/{many}/", f"models/{many}/results/", "timeline/", "trends/", "taxonomy/",
                 "components/", "datasets/", "coverage/", "whats-new/", "api/"):
        page.goto(f"{page.base}/{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.evaluate(OVERFLOWING) == [], path


# pages whose tables are not rows of a published file: the Data API's own field tables, the
# coverage counts of `mmllm stats` and the chart tables of trends/ (counts made from models.json)
NOT_DATA_TABLES = {"api/index.html", "coverage/index.html", "trends/index.html"}


def test_every_table_links_the_file_that_holds_its_rows(built_site):
    checked = 0
    for page in sorted(built_site.rglob("index.html")):
        rel = page.relative_to(built_site).as_posix()
        html = page.read_text(encoding="utf-8")
        if "<table" not in html or rel in NOT_DATA_TABLES:
            continue
        body = html[html.index('<article'):]
        for table in re.finditer(r"<table\b", body):
            # the download line sits in the table's own section, before it
            start = max([m.start() for m in re.finditer(r"<h[12]\b", body[:table.start()])] or [0])
            links = re.findall(r'<p class="mm-data">(.*?)</p>', body[start:table.start()])
            assert links, f"{rel}: a table without a download link"
            for href in re.findall(r'href="([^"]+)"', links[-1]):
                target = urljoin(f"http://x/{rel}", href).removeprefix("http://x/")
                target = built_site / (target + "index.html" if target.endswith("/") else target)
                assert target.is_file(), f"{rel}: {href} does not exist"
            checked += 1
    assert checked > 400
