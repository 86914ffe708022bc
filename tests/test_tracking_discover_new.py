"""`mmllm discover` and `mmllm new` against recorded-style arXiv answers."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from builder import cli
from builder.tracking import arxiv
from builder.tracking import cli as tracking_cli
from builder.tracking.classify import normalize
from builder.tracking.discover import ConfigError, discover, load_config
from schema import load_catalogue
from tracking_support import copy_discover_config, Script, fetcher, fixture_project, ok

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 6, 1)
NOW = dt.datetime(2024, 6, 1, 12, tzinfo=dt.timezone.utc)


def project(tmp_path: Path) -> Path:
    root = fixture_project(tmp_path)
    copy_discover_config(root)
    return root


def use_script(monkeypatch, script: Script) -> None:
    monkeypatch.setattr(tracking_cli, "now", lambda: NOW)
    monkeypatch.setattr(tracking_cli, "make_fetcher",
                        lambda service, *args, **kwargs: fetcher(script, retries=1))


# -- discover ------------------------------------------------------------------------------

def test_the_project_config_loads_and_builds_the_queries():
    config = load_config(ROOT / "tracking" / "discover.yaml")
    queries = config.queries(TODAY)
    assert len(queries) == -(-len(config.phrases) // config.phrases_per_query) + len(config.paired_phrases) > 1
    for query in queries:
        assert query.startswith("(cat:cs.CV OR cat:cs.CL")
        assert query.endswith(" AND submittedDate:[202405250000 TO 202406012359]")  # the last 7 days
        assert len(query) < 1500  # URLs the API accepts
    sent = "\n".join(queries)
    for phrase in config.phrases:  # every phrase is asked for, in titles and abstracts
        assert f'abs:"{phrase}" OR ti:"{phrase}"' in sent
    # the ways papers name these models (issue 17): LMM, multi-modal LLM, Video-LLM, omni-modal ...
    assert {"LMM", "multi-modal large language model", "Video-LLM", "large language and vision",
            "omni-modal", "audio language model"} <= set(config.phrases)
    assert config.queries()[0].endswith(")")  # no window without a date
    # a paired query asks for a phrase of each of its groups (a language model and a modality)
    assert config.paired_phrases and any(
        ' AND (abs:"LLM" OR ti:"LLM"' in q and ') AND (abs:"speech" OR ti:"speech"' in q for q in queries)


def test_every_gate_phrase_is_asked_for_by_the_search():
    # a paper the gate would accept must be reachable: each gate phrase holds a search phrase
    config = load_config(ROOT / "tracking" / "discover.yaml")
    searched = [normalize(p) for p in config.phrases]
    unreached = [written for s in config.rules.signals if s.gate for norm, written in s.phrases
                 if not any(p in f" {norm} " for p in searched)]
    assert not unreached


@pytest.mark.parametrize("text, message", [
    ("categories: [cs.CV]\nthreshold: 1\nsignals: []\n", "phrases: required, a list of texts"),
    ("categories: [cs.CV]\nphrases: [x]\nkeywords: {mllm: 3}\n", "unknown setting 'keywords'"),
    ("categories: [cs.CV]\nphrases: [x]\nmax_result: 3\n", "unknown setting 'max_result'"),
    ("categories: [cs.CV\n", "not valid YAML"),
    ('categories: [cs.CV]\nphrases: [\'say "x"\']\n', "cannot be sent as a quoted phrase"),
    ("categories: [cs.CV]\nphrases: [x]\nmax_drafts: -1\n", "max_drafts: must be at least 0"),
    ("categories: [cs.CV]\nphrases: [x]\npaired_phrases: [[[LLM]]]\n", "paired_phrases: a list of entries, each two"),
    ("categories: [cs.CV]\nphrases: [x]\npaired_phrases: [[[LLM], ['a (b)']]]\n", "cannot be sent as a quoted phrase"),
    ("categories: [cs.CV]\nphrases: [x]\nsignals: [{name: a, phrases: [b], gate: true}]\n",
     "threshold: required, a number"),
    ("categories: [cs.CV]\nphrases: [x]\nthreshold: 1\nsignals: [{name: a, weight: 1, phrases: [b]}]\n",
     "mark at least one signal `gate: true`"),
    ("categories: [cs.CV]\nphrases: [x]\nthreshold: 1\nsignals: [{name: a, weight: heavy, phrases: [b]}]\n",
     "signals[0] (a): weight: must be a number"),
    ("categories: [cs.CV]\nphrases: [x]\nthreshold: 1\nsignals: [{name: a, gate: true, patterns: ['(']}]\n",
     "is not a regular expression"),
    ("categories: [cs.CV]\nphrases: [x]\nthreshold: 1\nsignals: [{name: a, gate: true, where: body, phrases: [b]}]\n",
     "where: 'body' is not one of title, abstract, any"),
])
def test_config_errors_name_the_file_and_field(tmp_path, text, message):
    path = tmp_path / "discover.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="discover.yaml") as err:
        load_config(path)
    assert message in str(err.value)


def test_a_config_error_points_at_the_line_of_its_setting(tmp_path):
    path = tmp_path / "discover.yaml"
    path.write_text("categories: [cs.CV]\nphrases:\n- x\n- 'a (b)'\nthreshold: 1\nsignals:\n"
                    "- {name: g, gate: true, phrases: [mllm]}\n- {name: a, weight: heavy, phrases: [b]}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"discover\.yaml:4: phrases: 'a \(b\)' cannot be sent"):
        load_config(path)
    path.write_text(path.read_text(encoding="utf-8").replace("'a (b)'", "y"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"discover\.yaml:8: signals\[1\] \(a\): weight: must be a number"):
        load_config(path)
    path.write_text("categories: [cs.CV]\nphrases: [x]\nmax_result: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"discover\.yaml:3: unknown setting 'max_result'"):
        load_config(path)


def test_discover_drops_tracked_papers_ranks_and_drafts(tmp_path):
    root = project(tmp_path)
    cat = load_catalogue(root)
    script = Script({"search_query=": [ok("arxiv_search.xml")]})
    config = load_config(root / "tracking" / "discover.yaml")
    found = discover(root, cat.models, fetcher(script), config, today=TODAY)
    candidates, dropped = found.candidates, found.dropped
    assert found.skipped == []

    url = script.urls()[0]
    assert "sortBy=submittedDate" in url and "sortOrder=descending" in url and "max_results=500" in url
    assert len(script.urls()) == len(config.queries())  # every query asked, the answers merged
    dropped_text = "\n".join(dropped)
    assert "arXiv 2401.00001" in dropped_text and "alpha-vlm (same arXiv id)" in dropped_text
    assert "arXiv 2402.00013" in dropped_text and "alpha-vlm (title" in dropped_text
    ranked = [c.paper.arxiv for c in candidates]
    # the survey, the off-topic paper and the one naming no model of its own are not drafted,
    # and the report says why
    assert "2402.00012" not in ranked and "2402.00014" not in ranked and "2402.00011" not in ranked
    kinds = {c.paper.arxiv: c.decision.kind for c in found.rejected}
    assert kinds["2402.00012"] == "survey" and kinds["2402.00014"] == "not multimodal"
    assert ranked == ["2402.00010", "2402.00015"]
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)

    drafts = sorted(p.name for p in (root / "drafts").glob("*.yaml"))
    assert "delta-mllm.yaml" in drafts and len(drafts) == len(candidates)
    assert sorted(p.name for p in (root / "models").glob("*.yaml")) == [
        "alpha-vlm.yaml", "beta-lm.yaml", "delta-gone.yaml", "gamma.yaml"]  # models/ untouched
    text = (root / "drafts" / "delta-mllm.yaml").read_text()
    assert "title: \"Delta-MLLM: A Fixture Multimodal Large Language Model for Tests\"" in text
    assert "arxiv: '2402.00010'" in text and "date: '2024-02-03'" in text
    assert text.splitlines()[1].startswith("# Discovery score ")

    # a second run does not draft the same papers again
    again = discover(root, cat.models, fetcher(Script({"search_query=": [ok("arxiv_search.xml")]})),
                     config, today=TODAY)
    assert again.candidates == [] and "(draft)" in "\n".join(again.dropped)


def test_a_paper_naming_a_tracked_model_is_dropped(tmp_path):
    from builder.tracking.discover import tracked_by
    cat = load_catalogue(project(tmp_path))
    paper = arxiv.Paper("2402.00098", 1, "Gamma: An Entirely Different Fixture Title", [], "2024-02-01T00:00:00Z",
                        "2024-02-01T00:00:00Z", ["cs.CV"], "cs.CV")
    assert tracked_by(paper, cat.models, {}, 0.9) == "gamma (same model name 'Gamma')"


def test_drafts_do_not_validate_until_a_person_fills_them(tmp_path):
    root = project(tmp_path)
    cat = load_catalogue(root)
    discover(root, cat.models, fetcher(Script({"search_query=": [ok("arxiv_search.xml")]})),
             load_config(root / "tracking" / "discover.yaml"), today=TODAY)
    result = load_catalogue(root, [root / "drafts" / "delta-mllm.yaml"])
    fields = {p.field for p in result.problems}
    assert {"io.input", "io.output", "functional", "design"} <= fields


def test_discover_command_dry_run_and_failures(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    use_script(monkeypatch, Script({"search_query=": [ok("arxiv_search.xml")]}))
    assert cli.main(["--root", str(root), "discover", "--dry-run", "--report", "d.md"]) == 0
    assert not (root / "drafts").exists()
    assert "| score | arXiv | title | draft |" in (root / "d.md").read_text()

    use_script(monkeypatch, Script({"search_query=": [ok("arxiv_truncated.xml")]}))
    assert cli.main(["--root", str(root), "discover"]) == 1
    assert "arXiv search failed" in capsys.readouterr().err

    (root / "tracking" / "discover.yaml").write_text("phrases: []\n", encoding="utf-8")
    assert cli.main(["--root", str(root), "discover"]) == 2
    assert "tracking/discover.yaml: categories: required" in capsys.readouterr().err


# -- new -----------------------------------------------------------------------------------

FILL = {"io:\n": "io:\n", "  input: []": "  input: [image, text]", "  output: []": "  output: [text]",
        "functional: []": "functional: [understanding]", "design:  #": "design: end-to-end  #",
        "open_weights:  #": "open_weights: true  #", "license:  #": "license: MIT  #",
        "variants: []": "variants: [{name: fixture-7b, params: 7B}]"}


def fill(text: str, extra: dict[str, str] | None = None) -> str:
    for old, new in {**FILL, **(extra or {})}.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_new_from_arxiv_is_prefilled_and_validates_once_filled(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    script = Script({"id_list=2402.00010": [ok("arxiv_search.xml")]})
    use_script(monkeypatch, script)
    assert cli.main(["--root", str(root), "new", "2402.00010"]) == 0
    path = root / "models" / "delta-mllm.yaml"
    text = path.read_text()
    assert 'name: "Delta-MLLM"' in text and "date: '2024-02-03'" in text and "added: '2024-06-01'" in text
    assert "  url: https://arxiv.org/abs/2402.00010" in text
    assert "# arXiv authors: Fixture Author\n" in text
    unfilled = load_catalogue(root)
    assert {p.field for p in unfilled.problems} == {"io.input", "io.output", "functional", "design"}
    path.write_text(fill(text), encoding="utf-8")
    filled = load_catalogue(root)
    assert filled.ok, filled.problems
    assert "delta-mllm" in filled.paths
    # a record is never overwritten
    assert cli.main(["--root", str(root), "new", "2402.00010"]) == 1
    assert "exists" in capsys.readouterr().err


def test_new_offline_blank_template_validates_once_filled(tmp_path, monkeypatch):
    root = project(tmp_path)
    use_script(monkeypatch, Script())  # any request would fail the test
    assert cli.main(["--root", str(root), "new", "--offline", "--id", "my-model"]) == 0
    path = root / "models" / "my-model.yaml"
    text = path.read_text()
    problems = {p.field for p in load_catalogue(root).problems}
    assert {"name", "date", "io.input", "io.output", "functional", "design", "sources"} <= problems
    path.write_text(fill(text, {
        "name:  #": "name: My Model  #", "date:  #": "date: '2024-05-01'  #",
        "sources: []": "sources:\n- url: https://example.org/fixture-paper\n  kind: paper\n#"}), encoding="utf-8")
    cat = load_catalogue(root)
    assert cat.ok, cat.problems


def test_new_offline_keeps_the_arxiv_id_and_its_url(tmp_path, monkeypatch):
    root = project(tmp_path)
    use_script(monkeypatch, Script())  # any request would fail the test
    assert cli.main(["--root", str(root), "new", "2403.11703", "--offline", "--id", "kept"]) == 0
    text = (root / "models" / "kept.yaml").read_text()
    assert "  arxiv: '2403.11703'\n  url: https://arxiv.org/abs/2403.11703\n" in text
    assert "- url: https://arxiv.org/abs/2403.11703\n  kind: paper\n" in text
    # once a person fills the TODOs it validates, with the id it was given
    path = root / "models" / "kept.yaml"
    path.write_text(fill(text, {"name:  #": "name: Kept  #", "date:  #": "date: '2024-03-18'  #"}), encoding="utf-8")
    cat = load_catalogue(root)
    assert cat.ok, cat.problems
    kept = next(m for m in cat.models if m.id == "kept")
    assert (kept.paper.arxiv, kept.paper.title, kept.paper.url) == ("2403.11703", None, "https://arxiv.org/abs/2403.11703")


def test_new_without_network_says_so_at_once_and_keeps_the_id(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    script = Script({"": [httpx.ConnectError("fixture: offline")]})
    monkeypatch.setattr(tracking_cli, "now", lambda: NOW)
    # the real retry policy (4 retries): a connection error is still not retried by `new`
    monkeypatch.setattr(tracking_cli, "make_fetcher", lambda service, *args, **kwargs: fetcher(script))
    assert cli.main(["--root", str(root), "new", "2402.00010", "--id", "fallback"]) == 0
    assert len(script.requests) == 1
    err = capsys.readouterr().err
    assert "arXiv is not reachable, are you offline?" in err and "writing a template with the arXiv id only" in err
    text = (root / "models" / "fallback.yaml").read_text()
    assert "name:  # TODO required" in text and "  arxiv: '2402.00010'" in text


def test_new_rejects_a_bad_arxiv_id(tmp_path, capsys):
    assert cli.main(["--root", str(tmp_path), "new", "not-an-id"]) == 2
    assert "is not an arXiv id" in capsys.readouterr().err


def test_new_rejects_a_bad_record_id(tmp_path, capsys):
    assert cli.main(["--root", str(tmp_path), "new", "--offline", "--id", "My Model"]) == 2
    assert "lower-case letters" in capsys.readouterr().err
    assert not (tmp_path / "models").exists()
