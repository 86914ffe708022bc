import json
import subprocess
import sys

from conftest import ROOT, TINY


def test_stats_shape_and_numbers_on_the_tiny_catalogue(tiny):
    from builder.data.stats import catalogue_stats
    stats = catalogue_stats(tiny)
    assert set(stats) == {"counts", "missing", "statements"}
    said = stats["statements"]  # alpha: open, Apache-2.0, two sized variants; beta: tool-using, says why not
    assert said["open_weights"] == {"true": 1, "false": 1, "not stated": 0}
    assert said["license"] == {"a licence": 1, "proprietary": 0, "unknown, with why": 1, "not stated": 0}
    assert said["sizes"]["models with every variant sized"] == 1 and said["sizes"]["models saying why not (sizes_note)"] == 1
    assert said["sizes"]["variants"] == 2 and said["sizes"]["variants with active params (MoE)"] == 1
    assert stats["counts"] == {"models": 2, "datasets": 1, "benchmarks": 2, "surveys": 1,
                               "encoders": 2, "llms": 1, "generators": 1}
    models = stats["missing"]["models"]
    # beta has no architecture: every stage unknown once; alpha states all five
    assert all(models[f"architecture.{s}"] == 1 for s in
               ("modality_encoder", "input_projector", "llm_backbone", "output_projector",
                "modality_generator"))
    assert models["tools"] == 0          # beta is tool-using and lists its tools
    assert models["open_weights"] == 0   # both say (beta: false)
    assert models["venue"] == 1 and models["paper.arxiv"] == 1 and models["results"] == 2
    assert stats["missing"]["benchmarks"]["metric"] == 1
    assert stats["missing"]["datasets"]["media_scale.video"] == 1
    assert stats["missing"]["generators"] == {"description": 1, "links": 0}


def test_stats_cli_json(tmp_path):
    out = subprocess.run([sys.executable, "-m", "builder.cli", "--root", str(TINY), "stats", "--json"],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["counts"]["models"] == 2 and data["missing"]["surveys"]["links"] == 1


def test_stats_cli_text():
    out = subprocess.run([sys.executable, "-m", "builder.cli", "--root", str(TINY), "stats"],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert out.returncode == 0 and "models" in out.stdout and "missing in datasets (of 1)" in out.stdout


def test_coverage_accounts_for_each_community_paper_once(tiny):
    from builder.data.stats import catalogue_stats, read_community_list
    rows = read_community_list(TINY)
    cov = catalogue_stats(tiny, rows)["coverage"]
    # 2304.08485 by arXiv id (alpha and alpha-it share it: one paper, counted once);
    # the beta row by the URL its record cites (trailing slash ignored)
    assert cov["papers"] == 5
    assert sum(cov["records"].values()) == 2
    assert cov["not_tracked"] == {"benchmark": 1, "method": 1}
    assert cov["unaccounted"] == [{"title": "An Unlisted Model, With a Comma", "date": "2024-02-03",
                                   "arxiv": "2402.00002"}]


def test_stats_cli_reports_coverage_and_what_is_unaccounted():
    out = subprocess.run([sys.executable, "-m", "builder.cli", "--root", str(TINY), "stats"],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "coverage of the community list (5 papers" in out.stdout
    assert "2402.00002" in out.stdout and "An Unlisted Model, With a Comma" in out.stdout


def test_not_tracked_problems_name_file_line_and_field(tmp_path):
    from schema import load_catalogue
    (tmp_path / "tracking").mkdir()
    (tmp_path / "tracking" / "not-tracked.yaml").write_text(
        "# header\n"
        "- arxiv: '2401.00001'\n  title: A\n  reason: datset\n  source: https://example.org/a\n"
        "- arxiv: '2401.00002'\n  title: B\n  reason: unsourced\n  source: https://example.org/b\n"
        "- arxiv: '2401.00003'\n  title: C\n  reason: dataset\n  source: https://example.org/c\n"
        "- arxiv: '2401.00003'\n  title: C again\n  reason: dataset\n  source: https://example.org/c\n",
        encoding="utf-8")
    problems = [str(p) for p in load_catalogue(tmp_path).problems]
    assert "tracking/not-tracked.yaml:4:3: [0].reason: 'datset' is not a known value (did you mean " \
           "'dataset'?)" in problems[0]
    assert problems[1].startswith("tracking/not-tracked.yaml:6:3: [1]: an unsourced entry says in `note`")
    assert problems[2].startswith("tracking/not-tracked.yaml:14:3: [3]: '2401.00003' is already listed")
    assert len(problems) == 3


def test_a_paper_with_a_model_record_is_not_also_not_tracked(tmp_path):
    import shutil
    from schema import load_catalogue
    shutil.copytree(TINY, tmp_path / "cat")
    (tmp_path / "cat" / "tracking" / "not-tracked.yaml").write_text(
        "- arxiv: '2304.08485'\n  title: A Test Paper\n  reason: dataset\n  source: https://example.org/a\n",
        encoding="utf-8")
    problems = [str(p) for p in load_catalogue(tmp_path / "cat").problems]
    assert problems == ["tracking/not-tracked.yaml:1:3: arxiv: arXiv 2304.08485 has the model record "
                        "'alpha'; remove this entry"]
