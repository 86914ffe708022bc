"""Record validation of `results`: scale, benchmark key, source, printed text and scale."""
from __future__ import annotations


import pytest

from results_support import ROOT
from schema import load_catalogue

RESULT = """results:
- benchmark: {bench}
  score: {score}
{extra}"""


def catalogue_with(tmp_path, bench="MME-P", score="1510.7", extra="  source: https://example.org/t\n  source_kind: paper-table\n"):
    models = tmp_path / "models"
    models.mkdir()
    text = (ROOT / "models" / "lynx.yaml").read_text(encoding="utf-8")
    head, sources = text.split("sources:\n", 1)
    if "results:\n" in head:
        head = head.split("results:\n", 1)[0]
    (models / "lynx.yaml").write_text(head + RESULT.format(bench=bench, score=score, extra=extra)
                                      + "sources:\n" + sources, encoding="utf-8")
    return load_catalogue(tmp_path)


def messages(cat):
    return [(p.field, p.message, p.line) for p in cat.problems]


def test_a_valid_result_passes(tmp_path):
    assert catalogue_with(tmp_path).ok


def test_score_outside_the_scale_is_an_error_with_its_line(tmp_path):
    cat = catalogue_with(tmp_path, score="2010")
    [(field, msg, line)] = messages(cat)
    assert field == "results.0.score" and "outside the MME-P scale 0-2000" in msg and line > 1


def test_unknown_benchmark_key_is_an_error(tmp_path):
    [(field, msg, _)] = messages(catalogue_with(tmp_path, bench="MME-p"))
    assert field == "results.0.benchmark" and "did you mean 'MME-P'" in msg


def test_missing_source_is_an_error(tmp_path):
    cat = catalogue_with(tmp_path, extra="  source_kind: paper-table\n")
    assert any(f == "results.0.source" and m.startswith("required field 'source' is missing")
               for f, m, _ in messages(cat))


@pytest.mark.parametrize("bench, score, extra, ok", [
    ("QBench", "58.7", "  printed_scale: 100\n", True),
    ("QBench", "58.7", "", False),               # a percentage on the 0-1 scale
    ("QBench", "58.7", "  printed_scale: 1000\n", False),  # not a scale QBench is printed on
    ("OCRBench", "51.6", "  printed_scale: 100\n", True),
    ("GQA", "62", "  printed: '62'\n", True),
    ("GQA", "62", "  printed: '61.9'\n", False),  # printed text must read as the score
    ("LLaVA-W", "104.4", "", True),               # no upper bound
])
def test_printed_text_and_scale(tmp_path, bench, score, extra, ok):
    cat = catalogue_with(tmp_path, bench=bench, score=score,
                         extra=extra + "  source: https://example.org/t\n  source_kind: readme\n")
    assert cat.ok is ok, messages(cat)
