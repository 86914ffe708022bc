"""Messages people can act on: the broken-record corpus as a whole, and the CLI wiring."""
from __future__ import annotations

import re
from pathlib import Path

from builder import cli
from builder.commands import links
from conftest import ROOT
from schema import load_catalogue

BROKEN = Path(__file__).parent / "broken"


def test_corpus_has_at_least_forty_records_beyond_the_core_ones():
    extra = [p for p in BROKEN.glob("*.yaml") if not p.name.startswith("core-")]
    assert len(extra) >= 40


def test_every_corpus_problem_has_a_position_and_one_line():
    for path in sorted(BROKEN.glob("*.yaml")):
        cat = load_catalogue(ROOT, [path])
        for problem in cat.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            assert "\n" not in problem.message and "Traceback" not in problem.message
            assert not re.search(r"Input should|validation error|pydantic", problem.message), problem


def test_a_word_or_list_field_gets_one_message_naming_the_value_and_the_choices():
    cat = load_catalogue(ROOT, [BROKEN / "encoder-as-text.yaml"])
    assert len(cat.problems) == 1
    message = cat.problems[0].message
    assert message.startswith("'CLIP ViT-L/14' is not a known value")
    assert "none (verified absent)" in message and "unknown (nobody reported it)" in message
    assert "`- name: CLIP ViT-L/14`" in message


def test_check_links_command_passes_its_options(monkeypatch, tmp_path: Path):
    seen = {}

    def fake_run(files, root, settings, out, err, json_path, fail_on_redirect):
        seen.update(files=files, settings=settings, json=json_path, fail=fail_on_redirect)
        return 0

    monkeypatch.setattr(links, "run", fake_run)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    rc = cli.main(["--root", str(tmp_path), "check-links", "--concurrency", "3",
                   "--per-host-interval", "2.5", "--retries", "4", "--json", "r.json",
                   "--fail-on-redirect"])
    assert rc == 0
    assert [p.name for p in seen["files"]] == ["a.yaml"]
    s = seen["settings"]
    assert (s.concurrency, s.per_host_interval, s.retries) == (3, 2.5, 4)
    assert seen["json"] == Path("r.json") and seen["fail"] is True
