"""A misspelt component is a Problem with file, line, column, field path and a suggestion."""
import shutil

from conftest import TINY
from schema import load_catalogue


def _copy(tmp_path):
    root = tmp_path / "cat"
    shutil.copytree(TINY, root)
    return root


def test_unknown_encoder_is_reported_with_line_and_suggestion(tmp_path):
    root = _copy(tmp_path)
    path = root / "models" / "alpha.yaml"
    text = path.read_text().replace("name: clip vit-l/14", "name: CLIP ViT-L/41")
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "CLIP ViT-L/41" in t)
    cat = load_catalogue(root)
    assert [str(p) for p in cat.problems] == [
        f"models/alpha.yaml:{line}:5: architecture.modality_encoder.0.name: unknown modality "
        "encoder 'CLIP ViT-L/41' (did you mean 'CLIP ViT-L/14'?); use a name or alias of "
        "components/encoders.yaml, or add an entry there"]


def test_unknown_llm_is_reported(tmp_path):
    root = _copy(tmp_path)
    path = root / "models" / "alpha.yaml"
    path.write_text(path.read_text().replace("name: Vicuna-v1.5", "name: Vicuna-v15"))
    (problem,) = load_catalogue(root).problems
    assert problem.field == "architecture.llm_backbone.0.name"
    assert "unknown LLM 'Vicuna-v15'" in problem.message and "did you mean" in problem.message


def test_alias_shared_by_two_entries_is_a_problem(tmp_path):
    root = _copy(tmp_path)
    path = root / "components" / "encoders.yaml"
    path.write_text(path.read_text().replace("  family: EVA-CLIP",
                                             "  aliases: [openai clip vit-l/14]\n  family: EVA-CLIP"))
    (problem,) = load_catalogue(root).problems
    assert problem.path == "components/encoders.yaml" and problem.field == "entries.1.aliases.0"
    assert "already the name or an alias of 'clip-vit-l-14'" in problem.message


def test_dataset_pointing_at_a_missing_model(tmp_path):
    root = _copy(tmp_path)
    path = root / "datasets" / "alpha-it.yaml"
    path.write_text(path.read_text().replace("models: [alpha]", "models: [alpah]"))
    (problem,) = load_catalogue(root).problems
    assert str(problem).startswith("datasets/alpha-it.yaml:")
    assert "no model record has id 'alpah' (did you mean 'alpha'?)" in problem.message


def test_benchmark_with_half_a_scale(tmp_path):
    root = _copy(tmp_path)
    path = root / "benchmarks" / "TB2.yaml"
    path.write_text(path.read_text() + "metric: accuracy\n")
    (problem,) = load_catalogue(root).problems
    assert "metric, scale and higher_is_better go together" in problem.message


def test_benchmark_key_must_match_file(tmp_path):
    root = _copy(tmp_path)
    (root / "benchmarks" / "TB2.yaml").rename(root / "benchmarks" / "TB3.yaml")
    (problem,) = load_catalogue(root).problems
    assert problem.field == "key" and "must equal the file name" in problem.message


def test_bad_dataset_value_names_file_line_and_hint(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT
    root = _copy(tmp_path)
    path = root / "datasets" / "alpha-it.yaml"
    path.write_text(path.read_text().replace("type: [SFT]", "type: [SFTT]"))
    run = subprocess.run([sys.executable, "-m", "builder.cli", "--root", str(root), "validate"],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "datasets/alpha-it.yaml:9:8: type.0:" in run.stderr
    assert "'SFTT' is not a known value (did you mean 'SFT'?)" in run.stderr
