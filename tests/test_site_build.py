"""A real `mkdocs build` of the catalogue includes the pages of every kind and their nav."""
import os
import subprocess
import sys

from conftest import ROOT


def test_mkdocs_build_has_the_new_pages(tmp_path):
    out = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                          "--site-dir", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for page in ["datasets/index.html", "datasets/llava-it/index.html", "benchmarks/index.html",
                 "benchmarks/MMB/index.html", "benchmarks/GeoChat/index.html",
                 "surveys/index.html", "components/index.html", "components/llm/index.html",
                 "components/llm/vicuna-v1-5/index.html", "components/encoder/clip-vit-l-14/index.html",
                 "coverage/index.html"]:
        assert (out / page).is_file(), page
    vicuna = (out / "components/llm/vicuna-v1-5/index.html").read_text(encoding="utf-8")
    assert 'href="../../../models/llava-1-5/"' in vicuna
    home = (out / "index.html").read_text(encoding="utf-8")
    for label in ("Datasets", "Benchmarks", "Components", "Surveys", "Coverage"):
        assert label in home
    llava = (out / "models/llava/index.html").read_text(encoding="utf-8")
    assert "../../components/llm/vicuna/" in llava and "../../datasets/llava-it/" in llava
