"""`mmllm sync` against recorded-style arXiv and GitHub answers: files, reports, faults."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import httpx
import pytest

from builder import cli
from builder.tracking import arxiv, github
from builder.tracking import cli as tracking_cli
from builder.tracking.meta import read_meta
from builder.tracking.sync import TITLE_CHARS, normal_title, parse_age, parse_duration, sync
from schema import load_catalogue
from tracking_support import Clock, Script, fetcher, fixture, fixture_project, ok, status

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


# -- parsing -------------------------------------------------------------------------------

def test_parse_the_arxiv_answer():
    papers, errors = arxiv.parse_feed(fixture("arxiv_id_list.xml"))
    assert errors == {}
    alpha = papers[0]
    assert (alpha.arxiv, alpha.version) == ("2401.00001", 2)
    assert alpha.title == "Alpha-VLM: A Synthetic Fixture Model for Testing the Tracker"  # line break folded
    assert alpha.authors == ["Fixture Author One", "Fixture Author Two"]
    assert alpha.published == "2024-01-02T18:00:00Z" and alpha.updated == "2024-03-01T17:59:59Z"
    assert alpha.first_date == dt.date(2024, 1, 2)
    assert alpha.categories == ["cs.CV", "cs.CL"] and alpha.primary_category == "cs.CV"


def test_arxiv_error_entries_are_not_papers():
    papers, errors = arxiv.parse_feed(fixture("arxiv_error.xml"))
    assert papers == [] and list(errors.values()) == ["incorrect id format for 2401.0000x"]


@pytest.mark.parametrize("name", ["arxiv_truncated.xml", "arxiv_not_atom.html"])
def test_malformed_arxiv_answers_are_refused(name):
    with pytest.raises(arxiv.MalformedFeed):
        arxiv.parse_feed(fixture(name))


def test_doctype_is_refused():
    with pytest.raises(arxiv.MalformedFeed, match="document type"):
        arxiv.parse_feed('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><feed/>')


def test_github_repository_facts():
    facts = github.parse_repo(fixture("github_repo_alpha.json"))
    assert (facts.stars, facts.pushed_at, facts.license, facts.archived) == (1234, "2024-05-06T07:08:09Z", "MIT", False)
    assert github.parse_repo(fixture("github_repo_beta_archived.json")).license is None


@pytest.mark.parametrize("name", ["github_truncated.json", "github_not_a_repo.json"])
def test_malformed_github_answers_are_refused(name):
    with pytest.raises(github.MalformedAnswer):
        github.parse_repo(fixture(name))


@pytest.mark.parametrize("url, repo", [
    ("https://github.com/salesforce/LAVIS/tree/main/projects/blip2", "salesforce/LAVIS"),
    ("https://github.com/example-org/alpha", "example-org/alpha"),
    ("https://github.com/example-org/alpha.git", "example-org/alpha"),
    ("http://www.github.com/a/b#readme", "a/b"),
    ("https://github.com/example-org", None),
    ("https://gitlab.com/a/b", None),
    (None, None),
])
def test_repo_of(url, repo):
    assert github.repo_of(url) == repo


def test_titles_compare_without_case_or_punctuation():
    assert normal_title("MINIGPT-4:ENHANCING Vision") == normal_title("MiniGPT-4: Enhancing  vision")
    assert len(normal_title("x" * 50_000)) == TITLE_CHARS  # bounded work per title


def test_parse_age():
    assert parse_age("7d") == dt.timedelta(days=7) and parse_age("12h") == dt.timedelta(hours=12)
    assert parse_age("3") == dt.timedelta(days=3) and parse_age("2w") == dt.timedelta(weeks=2)
    with pytest.raises(ValueError):
        parse_age("soon")
    assert parse_duration("90", "s") == dt.timedelta(seconds=90) and parse_duration("20m", "s") == dt.timedelta(minutes=20)


# -- the whole run -------------------------------------------------------------------------

def full_script() -> Script:
    return Script({
        "id_list=2401.00001%2C2401.00002%2C2401.00003%2C2401.00004": [ok("arxiv_id_list.xml")],
        "repos/example-org/alpha": [ok("github_repo_alpha.json")],
        "repos/example-org/beta": [ok("github_repo_beta_archived.json")],
        "repos/example-org/gamma": [ok("github_repo_gamma_moved.json")],
        "repos/example-org/delta": [status(404, "github_not_found.json")],
    })


def run_sync(root, script, clock=None, **kwargs):
    cat = load_catalogue(root)
    assert cat.ok, cat.problems
    clock = clock or Clock()
    return sync(root, cat.models, cat.paths, arxiv_fetcher=fetcher(script, clock, min_interval=arxiv.fetcher_settings()),
                github_fetcher=fetcher(script, clock), now=NOW, **kwargs)


def digest(root):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "models").glob("*.yaml"))}


def test_sync_writes_meta_files_and_never_touches_records(tmp_path):
    root = fixture_project(tmp_path)
    before = digest(root)
    report = run_sync(root, full_script())
    assert digest(root) == before

    papers = read_meta(root, "arxiv")
    assert sorted(papers) == ["2401.00001", "2401.00002"]
    assert papers["2401.00001"]["fetched_at"] == "2024-06-01T12:00:00Z"
    assert papers["2401.00001"]["published"] == "2024-01-02T18:00:00Z"
    assert papers["2401.00001"]["updated"] == "2024-03-01T17:59:59Z"
    assert papers["2401.00001"]["authors"] == ["Fixture Author One", "Fixture Author Two"]

    repos = read_meta(root, "github")
    assert repos["example-org/alpha"] == {
        "fetched_at": "2024-06-01T12:00:00Z", "status": "ok", "full_name": "example-org/alpha",
        "stars": 1234, "pushed_at": "2024-05-06T07:08:09Z", "license": "MIT", "archived": False,
        "html_url": "https://github.com/example-org/alpha"}
    assert repos["example-org/delta"]["status"] == "gone"
    raw = json.loads((root / "models" / "_meta" / "github.json").read_text())
    assert "do not edit by hand" in raw["note"]

    # the ids arXiv did not return are reported, not invented
    assert any("2401.00003" in f and "not found" in f for f in report.failures)
    text = "\n".join(report.disagreements)
    assert "models/beta-lm.yaml: paper.title 'Beta-LM: the Old Title' differs" in text
    assert "models/beta-lm.yaml: date 2023-12-30 differs from arXiv 2401.00002 v1 (2024-01-05)" in text
    assert "alpha" not in text.replace("example-org/alpha", "")  # alpha agrees
    assert "beta-lm: repository example-org/beta is archived" in text
    assert "gamma: repository example-org/gamma now answers as example-org/gamma-renamed" in text
    assert "delta-gone: repository example-org/delta is gone (404)" in text
    # the loader still reads the same catalogue: _meta/ is not a record
    assert load_catalogue(root).ok


def test_arxiv_ids_are_batched_and_paced(tmp_path):
    root = fixture_project(tmp_path)
    script = Script({
        "id_list=2401.00001%2C2401.00002": [ok("arxiv_id_list.xml")],
        "id_list=2401.00003%2C2401.00004": [ok("arxiv_id_list_gamma.xml")],
        "api.github.com": [ok("github_repo_alpha.json")],
    })
    clock = Clock()
    cat = load_catalogue(root)
    sync(root, cat.models, cat.paths, arxiv_fetcher=fetcher(script, clock, min_interval=arxiv.fetcher_settings()),
         github_fetcher=None, now=NOW, arxiv_batch=2)
    arxiv_calls = script.urls("export.arxiv.org")
    assert len(arxiv_calls) == 2 and all("max_results=2" in u for u in arxiv_calls)
    assert clock.sleeps == [3.0]  # one request every 3 s, the first at once
    assert sorted(read_meta(root, "arxiv")) == ["2401.00001", "2401.00002", "2401.00003"]


def test_every_fault_loses_nothing_else(tmp_path):
    root = fixture_project(tmp_path)
    # a first good run leaves entries behind
    run_sync(root, full_script())
    old = read_meta(root, "github")
    script = Script({
        "id_list=2401.00001%2C2401.00002": [status(500)],  # batch 1 keeps failing
        "id_list=2401.00003%2C2401.00004": [status(429, **{"retry-after": "5"}), ok("arxiv_id_list_gamma.xml")],
        "repos/example-org/alpha": [httpx.ReadTimeout("fixture timeout")],  # always times out
        "repos/example-org/beta": [ok("github_truncated.json")],  # malformed JSON
        "repos/example-org/gamma": [status(503), ok("github_repo_gamma_moved.json")],
        "repos/example-org/delta": [ok("github_repo_alpha.json")],  # back from the dead (renamed)
    })
    clock = Clock()
    later = NOW + dt.timedelta(days=1)
    cat = load_catalogue(root)
    report = sync(root, cat.models, cat.paths, now=later,
                  arxiv_fetcher=fetcher(script, clock, retries=2, min_interval=arxiv.fetcher_settings()),
                  github_fetcher=fetcher(script, clock, retries=2, concurrency=3), arxiv_batch=2)
    papers, repos = read_meta(root, "arxiv"), read_meta(root, "github")
    # batch 1 failed: its previous entries are kept, unchanged
    assert papers["2401.00001"]["fetched_at"] == "2024-06-01T12:00:00Z"
    # batch 2 succeeded after the 429: new entry
    assert papers["2401.00003"]["fetched_at"] == "2024-06-02T12:00:00Z"
    assert 5 in clock.sleeps
    # GitHub: timeouts and malformed JSON keep the old entries; the others are updated
    assert repos["example-org/alpha"] == old["example-org/alpha"]
    assert repos["example-org/beta"] == old["example-org/beta"]
    assert repos["example-org/gamma"]["fetched_at"] == "2024-06-02T12:00:00Z"
    assert repos["example-org/delta"]["status"] == "moved"
    fails = "\n".join(report.failures)
    assert "arXiv 2401.00001 (models/alpha-vlm.yaml): HTTP 500 after 3 attempt(s)" in fails
    assert "GitHub example-org/alpha (alpha-vlm): timed out after 3 attempt(s)" in fails
    assert "GitHub example-org/beta (beta-lm): MalformedAnswer: not JSON" in fails
    assert report.fetched == {"arxiv": 1, "github": 2}


def test_only_missing_fetches_nothing_twice(tmp_path):
    root = fixture_project(tmp_path)
    run_sync(root, full_script())
    script = full_script()
    script.routes.insert(0, ("id_list=2401.00003%2C2401.00004", [ok("arxiv_id_list_gamma.xml")]))
    report = run_sync(root, script, only_missing=True)
    # only the two papers never fetched are asked for; no GitHub request at all
    assert [u.split("id_list=")[1].split("&")[0] for u in script.urls("arxiv")] == ["2401.00003%2C2401.00004"]
    assert script.urls("api.github.com") == []
    assert report.skipped == {"arxiv": 2, "github": 4}


def test_max_age_refetches_only_stale_entries(tmp_path):
    root = fixture_project(tmp_path)
    run_sync(root, full_script())
    cat = load_catalogue(root)

    def again(now):
        script = full_script()
        script.routes.insert(0, ("id_list=2401.00003%2C2401.00004", [ok("arxiv_id_list_gamma.xml")]))
        sync(root, cat.models, cat.paths, arxiv_fetcher=None, github_fetcher=fetcher(script),
             now=now, max_age=dt.timedelta(days=7))
        return script.urls("api.github.com")

    assert again(NOW + dt.timedelta(days=3)) == []
    assert len(again(NOW + dt.timedelta(days=8))) == 4


def test_sync_command_with_token_and_report(tmp_path, monkeypatch):
    root = fixture_project(tmp_path)
    script = full_script()
    monkeypatch.setenv("GITHUB_TOKEN", "fixture-token")
    monkeypatch.setattr(tracking_cli, "now", lambda: NOW)
    monkeypatch.setattr(tracking_cli, "make_fetcher",
                        lambda service, *args, **kwargs: fetcher(script, cache=None))
    assert cli.main(["--root", str(root), "sync", "--report", "sync.md"]) == 0
    assert read_meta(root, "github")["example-org/alpha"]["stars"] == 1234
    report = (root / "sync.md").read_text()
    assert "### Disagreements to review" in report and "is archived" in report
    gh = [r for r in script.requests if r.url.host == "api.github.com"]
    ax = [r for r in script.requests if r.url.host == "export.arxiv.org"]
    assert gh and all(r.headers["authorization"] == "Bearer fixture-token" for r in gh)
    assert ax and all("authorization" not in r.headers for r in ax)  # the token goes to GitHub only


def test_sync_command_fails_when_every_lookup_fails(tmp_path, monkeypatch, capsys):
    root = fixture_project(tmp_path)
    script = Script({"": [httpx.ConnectError("fixture: no network")]})
    monkeypatch.setattr(tracking_cli, "make_fetcher",
                        lambda service, *args, **kwargs: fetcher(script, retries=0))
    assert cli.main(["--root", str(root), "sync"]) == 1
    assert "is the network reachable?" in capsys.readouterr().err
    assert not (root / "models" / "_meta").exists()


def test_sync_refuses_invalid_records(tmp_path, capsys):
    root = fixture_project(tmp_path)
    (root / "models" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    assert cli.main(["--root", str(root), "sync"]) == 1
    assert "models/broken.yaml" in capsys.readouterr().err


def test_bad_max_age_is_a_clear_error(tmp_path, capsys):
    root = fixture_project(tmp_path)
    assert cli.main(["--root", str(root), "sync", "--max-age", "soon"]) == 2
    assert "--max-age: 'soon' is not an age" in capsys.readouterr().err
