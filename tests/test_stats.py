import json
import subprocess
import sys

from conftest import ROOT, TINY


def test_stats_shape_and_numbers_on_the_tiny_catalogue(tiny):
    from builder.data.stats import catalogue_stats
    stats = catalogue_stats(tiny)
    assert set(stats) == {"counts", "missing"}
    assert stats["counts"] == {"models": 2, "datasets": 1, "benchmarks": 2, "surveys": 1,
                               "encoders": 2, "llms": 1, "generators": 1}
    models = stats["missing"]["models"]
    # beta has no architecture: every stage unknown once; alpha states all five
    assert all(models[f"architecture.{s}"] == 1 for s in
               ("modality_encoder", "input_projector", "llm_backbone", "output_projector",
                "modality_generator"))
    assert models["tools"] == 0          # beta is tool-using and lists its tools
    assert models["open_weights"] == 1   # beta does not say
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
