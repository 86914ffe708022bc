"""`mmllm sync` and `mmllm discover` over the project's real records (answered by
httpx.MockTransport), and what fetched text can do to them: control characters, unusable
feed entries, huge titles, a deadline."""
from __future__ import annotations

import datetime as dt
import time

import yaml

from builder.tracking import arxiv
from builder.tracking.discover import discover, load_config, report_markdown
from builder.tracking.meta import read_meta
from builder.tracking.net import DEADLINE_REASON
from builder.tracking.scaffold import comment, q
from builder.tracking.sync import record_repos, sync
from conftest import ROOT
from schema.loader import Problem, read_file
from tracking_support import Clock, FakeServices, atom_entry, atom_feed, fetcher

NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.timezone.utc)
TODAY = NOW.date()
CONFIG = load_config(ROOT / "tracking" / "discover.yaml")


def run_sync(root, catalogue, services, clock=None, **kwargs):
    clock = clock or Clock()
    return sync(root, catalogue.models, catalogue.paths, now=NOW,
                arxiv_fetcher=fetcher(services, clock, min_interval=arxiv.fetcher_settings()),
                github_fetcher=fetcher(services, clock), **kwargs)


def cited(catalogue) -> tuple[set[str], set[str]]:
    """The arXiv ids and the GitHub repositories the records cite."""
    arxiv_ids = {m.paper.arxiv for m in catalogue.models if m.paper and m.paper.arxiv}
    return arxiv_ids, set(record_repos(catalogue.models))


def read(root, kind):
    return read_meta(root, kind)


def test_sync_runs_over_the_real_catalogue(tmp_path, catalogue):
    untitled = [m.id for m in catalogue.models if m.paper and m.paper.arxiv and not m.paper.title]
    assert untitled, "the catalogue has records with an arXiv id and no title (what this test is about)"
    services = FakeServices(catalogue.models)
    report = run_sync(tmp_path, catalogue, services)
    arxiv_ids, repos = cited(catalogue)
    meta = {k: set(read(tmp_path, k)) for k in ("arxiv", "github")}
    assert meta == {"arxiv": arxiv_ids, "github": repos}
    assert report.fetched == {"arxiv": len(arxiv_ids), "github": len(repos)}
    # the fake services agree with every record: nothing to report, and no record's missing
    # title is taken for a disagreement
    assert report.failures == [] and report.disagreements == [] and report.not_reached == []


def test_sync_over_the_real_catalogue_keeps_everything_a_fault_does_not_touch(tmp_path, catalogue):
    arxiv_ids, repos = cited(catalogue)
    first_ids, some_repos = sorted(arxiv_ids)[:3], sorted(repos)[:4]
    faults = {first_ids[0]: ["500"] * 10,  # its whole batch of 50 keeps failing
              first_ids[-1]: [],
              some_repos[0]: ["hang"] * 10, some_repos[1]: ["malformed"],
              some_repos[2]: ["429", "500"], some_repos[3]: ["500"] * 10}
    services = FakeServices(catalogue.models, faults=faults)
    report = run_sync(tmp_path, catalogue, services)
    papers, github = read(tmp_path, "arxiv"), read(tmp_path, "github")
    first_batch = sorted(arxiv_ids)[:arxiv.BATCH]
    assert set(papers) == arxiv_ids - set(first_batch)
    assert set(github) == repos - {some_repos[0], some_repos[1], some_repos[3]}
    fails = "\n".join(report.failures)
    assert f"arXiv {first_ids[0]} " in fails and "HTTP 500 after 5 attempt(s)" in fails
    assert f"GitHub {some_repos[0]} " in fails and "timed out after 5 attempt(s)" in fails
    assert f"GitHub {some_repos[1]} " in fails and "MalformedAnswer" in fails
    assert len(report.failures) == len(first_batch) + 3


def test_a_bad_entry_fails_its_paper_only(tmp_path, catalogue):
    arxiv_ids, _ = cited(catalogue)
    bad = sorted(arxiv_ids)[0]
    services = FakeServices(catalogue.models, faults={bad: ["bad-entry"]})
    report = run_sync(tmp_path, catalogue, services)
    assert set(read(tmp_path, "arxiv")) == arxiv_ids - {bad}
    assert len(report.failures) == 1 and report.failures[0].startswith(f"arXiv {bad} ")
    assert "arXiv's entry is unusable" in report.failures[0] and "is not RFC 3339" in report.failures[0]


def test_the_deadline_ends_a_run_over_many_dead_hosts_and_keeps_what_it_has(tmp_path, catalogue):
    _, repos = cited(catalogue)
    clock = Clock()
    # every repository hangs for the whole 20 s timeout, on the fake clock
    services = FakeServices(catalogue.models, faults={r: ["hang"] * 10 for r in repos}, hang_seconds=20, clock=clock)
    gh = fetcher(services, clock, concurrency=1)
    ax = fetcher(services, clock, min_interval=arxiv.fetcher_settings())
    for f in (gh, ax):
        f.set_deadline(120)
    report = sync(tmp_path, catalogue.models, catalogue.paths, now=NOW, arxiv_fetcher=ax, github_fetcher=gh)
    assert set(read(tmp_path, "arxiv")) == cited(catalogue)[0]  # fetched before the deadline: kept
    assert read(tmp_path, "github") == {}
    assert report.not_reached and all(DEADLINE_REASON in line for line in report.not_reached)
    assert len(report.not_reached) + len(report.failures) == len(repos)
    # no wait started past the deadline (the last hang may end up to one timeout after it)
    assert clock.now - 1_700_000_000.0 <= 120 + 20
    # most repositories were never asked for: the run stopped
    assert len(services.requests) < 20
    assert "Not fetched before the deadline" in report.markdown()


# what a model paper's abstract says, so the classifier drafts these fixture papers
MODEL_ABSTRACT = "We introduce a multimodal large language model for tests; its model weights are released."


def search_feed(catalogue) -> list[str]:
    titled = [m for m in catalogue.models if m.paper and m.paper.arxiv and m.paper.title]
    untitled = [m for m in catalogue.models if m.paper and m.paper.arxiv and not m.paper.title]
    named = next(m for m in catalogue.models if m.paper and m.paper.title and len(m.paper.title) > 30)
    return [
        # tracked: same arXiv id (with and without a title in the record), and same title
        atom_entry(titled[0].paper.arxiv, titled[0].paper.title),
        atom_entry(untitled[0].paper.arxiv, "Whatever arXiv calls it: a multimodal LLM"),
        atom_entry("2611.99001", named.paper.title),
        # new papers; one with control characters XML allows, one with a 50 KB title
        atom_entry("2611.99002", "Fixture-MLLM: A Multimodal Large Language Model for Tests",
                   published="2026-11-20T12:00:00Z", summary=MODEL_ABSTRACT),
        atom_entry("2611.99003", "Ctrl-MLLM&#127;: A Multimodal&#x85; Large&#x9f; Language Model&#x2028;",
                   authors=("Author&#127;One",), raw=True, published="2026-11-21T12:00:00Z", summary=MODEL_ABSTRACT),
        atom_entry("2611.99004", "Huge multimodal large language model " + "x" * 50_000,
                   published="2026-11-22T12:00:00Z", summary=MODEL_ABSTRACT),
        # unusable: no title; a date that is not a date
        atom_entry("2611.99005", ""),
        atom_entry("2611.99006", "Dateless-MLLM: a multimodal large language model", published="yesterday"),
    ]


def test_discover_runs_over_the_real_catalogue(tmp_path, catalogue):
    services = FakeServices(catalogue.models, search=search_feed(catalogue))
    start = time.perf_counter()
    found = discover(tmp_path, catalogue.models, fetcher(services), CONFIG, today=TODAY)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"took {elapsed:.1f}s"  # the 50 KB title is compared on its head only
    dropped = "\n".join(found.dropped)
    assert "(same arXiv id)" in dropped and dropped.count("(same arXiv id)") == 2
    assert "arXiv 2611.99001" in dropped and "% similar)" in dropped
    assert sorted(c.paper.arxiv for c in found.candidates) == ["2611.99002", "2611.99003", "2611.99004"]
    # the unusable entries are skipped and reported, the rest of the answer counts
    assert len(found.skipped) == 2
    assert any("2611.99005" in s and "no title" in s for s in found.skipped)
    assert any("2611.99006" in s and "not RFC 3339" in s for s in found.skipped)
    assert "skipped as unusable (2)" in report_markdown(found)
    # every draft is valid YAML, whatever the fetched text held
    for c in found.candidates:
        doc = read_file(tmp_path / "drafts" / f"{c.draft.rsplit('/', 1)[1]}")
        assert not isinstance(doc, Problem), doc
        assert doc.data["paper"]["arxiv"] == c.paper.arxiv
    ctrl = next(c for c in found.candidates if c.paper.arxiv == "2611.99003")
    assert ctrl.paper.title == "Ctrl-MLLM: A Multimodal Large Language Model"  # controls dropped
    assert ctrl.paper.authors == ["AuthorOne"]


def test_scaffold_text_escapes_what_yaml_refuses():
    for text in ["a\x7fb", "c\x85d", "e\x9ff", "g\u2028h", "i\ufffej", 'quote " and \\ backslash', "tab\tnewline\n"]:
        assert yaml.safe_load(f"x: {q(text)}\n")["x"] == text
    assert yaml.safe_load(q("lone \ud800 surrogate")) == "lone  surrogate"
    line = comment("one\ntwo\x85three\x7f\u2028four")
    assert line == "# one two three four" and yaml.safe_load(f"{line}\nx: 1\n") == {"x": 1}


def test_one_bad_entry_does_not_discard_the_feed():
    feed = "\n".join([atom_entry("2611.00001", "Good one"), atom_entry("2611.00002", "Bad date", published="x"),
                      "<entry><id>http://example.org/not-arxiv</id><title>t</title></entry>",
                      atom_entry("2611.00003", "Good two")])
    papers, unusable = arxiv.parse_feed(atom_feed([feed]))
    assert [p.arxiv for p in papers] == ["2611.00001", "2611.00003"]
    assert sorted(unusable) == ["2611.00002", "entry 3"]
    assert "is not an arXiv abstract URL" in unusable["entry 3"]

