"""The leaderboards on the built site (real `mkdocs build --strict`) in real headless Chromium
(Debian's /usr/bin/chromium driven by playwright): one row per model, one protocol at a time,
the state in the URL, sort and filters, the rank on a model page and its link, lower-case
addresses and the old ones redirecting, and no page wider than a phone."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from builder.data import scores
from builder.pages.leaderboard import ordinal
from results_support import ROOT
from schema import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT)


@pytest.fixture(scope="module")
def mmmu(catalogue):
    return scores.boards("MMMU", catalogue.models)


ROWS = """() => { const sec = [...document.querySelectorAll('section.mm-protocol')].filter(s => !s.hidden);
  return sec.map(s => ({p: s.dataset.p, rows: [...s.querySelectorAll('table.mm-board tbody tr')]
    .filter(tr => !tr.hidden).map(tr => ({m: tr.dataset.m, rank: +tr.cells[0].textContent,
      v: +tr.dataset.v, s: tr.dataset.s ? +tr.dataset.s : null, o: tr.dataset.o, y: tr.dataset.y,
      hl: tr.classList.contains('mm-hl')}))})); }"""


def board_view(pg):
    return pg.evaluate(ROWS)


def open_board(pg, query=""):
    pg.goto(f"{pg.base}/benchmarks/mmmu/{query}")
    pg.wait_for_selector("#mm-board-controls:not([hidden])")


def test_one_row_per_model_under_the_main_protocol_by_default(page, mmmu):
    open_board(page)
    [view] = board_view(page)  # one protocol in view
    main = mmmu[0]
    assert view["p"] == main.protocol.key == "val"
    ids = [r["m"] for r in view["rows"]]
    assert len(ids) == len(set(ids)) == len(main.standings)
    assert ids == [s.model.id for s in main.standings]
    values = [r["v"] for r in view["rows"]]
    assert values == sorted(values, reverse=True)
    # more scores than rows: a model's other scores are in its row, one click away
    assert sum(1 + len(s.others) for s in main.standings) > len(ids)
    many = next(s for s in main.standings if s.others)
    details = page.locator(f'#val--{many.model.id} details.mm-others')
    assert not details.locator("li").first.is_visible()
    details.locator("summary").click()
    assert details.locator("li").count() == len(many.others)
    assert details.locator("li").first.is_visible()


def test_protocols_are_never_mixed_and_the_choice_is_in_the_url(page, mmmu):
    keys = {b.protocol.key: b for b in mmmu}
    open_board(page)
    page.select_option('select[name="p"]', "test")
    [view] = board_view(page)
    assert view["p"] == "test"
    assert [r["m"] for r in view["rows"]] == [s.model.id for s in keys["test"].standings]
    assert parse_qs(urlparse(page.url).query)["p"] == ["test"]
    for r in view["rows"]:  # every row's best score is a test-split score of that model
        s = next(s for s in keys["test"].standings if s.model.id == r["m"])
        assert scores.protocol_of(s.best).key == "test"
    # the URL restores the view
    open_board(page, "?p=unstated")
    [view] = board_view(page)
    assert view["p"] == "unstated" and len(view["rows"]) == len(keys["unstated"].standings)
    assert page.locator('select[name="p"]').input_value() == "unstated"
    # a link to a row (as a model page writes it) opens that row's protocol, highlighted
    last = keys["test"].standings[-1].model.id
    page.goto(f"{page.base}/benchmarks/mmmu/#test--{last}")
    page.wait_for_selector("#mm-board-controls:not([hidden])")
    [view] = board_view(page)
    assert view["p"] == "test" and [r["m"] for r in view["rows"] if r["hl"]] == [last]


def test_sort_and_filters(page, mmmu):
    main = mmmu[0]
    open_board(page)
    page.click('#board-val th[data-c="size"] button.mm-sort')
    sizes = [r["s"] for r in board_view(page)[0]["rows"]]
    known = [s for s in sizes if s is not None]
    assert known == sorted(known, reverse=True) and sizes[:len(known)] == known  # blanks last
    assert parse_qs(urlparse(page.url).query)["sort"] == ["size"]
    page.fill('input[name="smax"]', "10")
    page.select_option('select[name="open"]', "yes")
    rows = board_view(page)[0]["rows"]
    expected = [s for s in main.standings if s.size and s.size.total <= 10 and s.open == "yes"]
    assert sorted(r["m"] for r in rows) == sorted(s.model.id for s in expected) and rows
    q = parse_qs(urlparse(page.url).query)
    assert q["smax"] == ["10"] and q["open"] == ["yes"]
    page.select_option('select[name="open"]', "")
    page.fill('input[name="smax"]', "")
    year = str(main.standings[0].model.date.year)
    page.select_option('select[name="y"]', year)
    rows = board_view(page)[0]["rows"]
    assert rows and all(r["y"] == year for r in rows)
    assert len(rows) == sum(1 for s in main.standings if str(s.model.date.year) == year)


def test_a_model_page_states_its_rank_and_links_to_it_highlighted(page, mmmu):
    main = mmmu[0]
    s = next(s for s in main.standings if s.model.id == "llava")
    page.goto(f"{page.base}/models/llava/")
    # many scores: the best per benchmark, with the place under the main protocol
    row = page.locator("table.mm-model-results tr").filter(
        has=page.locator("th", has_text=re.compile(r"^MMMU$")))
    link = row.get_by_role("link", name=f"{ordinal(s.rank)} of {len(main.standings)}")
    assert link.count() == 1
    assert f"{ordinal(s.rank)} of {len(main.standings)} val" in row.inner_text()
    link.click()
    page.wait_for_selector("#mm-board-controls:not([hidden])")
    assert urlparse(page.url).path == "/benchmarks/mmmu/"
    [view] = board_view(page)
    assert view["p"] == "val" and urlparse(page.url).fragment == "val--llava"
    row = next(r for r in view["rows"] if r["m"] == "llava")
    assert row["hl"] and row["rank"] == s.rank
    assert [r["m"] for r in view["rows"] if r["hl"]] == ["llava"]
    assert page.locator("#val--llava").is_visible()


def test_lower_case_address_and_the_old_one_redirects(page):
    resp = page.goto(f"{page.base}/benchmarks/mmmu/")
    assert resp.status == 200 and page.locator("h1").inner_text().startswith("MMMU")
    page.goto(f"{page.base}/benchmarks/MMMU/?p=test#top")
    page.wait_for_url("**/benchmarks/mmmu/**")
    page.wait_for_selector("#mm-board-controls:not([hidden])")
    assert urlparse(page.url).path == "/benchmarks/mmmu/"
    assert board_view(page)[0]["p"] == "test"  # the query survives the redirect


@pytest.mark.parametrize("path", ["benchmarks/mmmu/", "benchmarks/", "models/llava/",
                                  "benchmarks/mmb/?p=test"])
def test_no_page_is_wider_than_a_phone(chromium_browser, site_server, path):
    ctx = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    try:
        pg.goto(f"{site_server}/{path}")
        pg.wait_for_load_state("load")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, path
    finally:
        ctx.close()
