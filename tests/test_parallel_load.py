"""Big catalogues are read by one process per core; the result must not depend on it."""
from __future__ import annotations

import os
import shutil

import pytest

from conftest import ROOT, TINY
from schema import load_catalogue
from schema import records as records_module


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
def test_parallel_reading_gives_the_same_catalogue_and_problems(monkeypatch):
    serial = load_catalogue(ROOT, [ROOT / "models", ROOT / "tests" / "broken"])
    monkeypatch.setattr(records_module, "PARALLEL_FROM", 1)
    parallel = load_catalogue(ROOT, [ROOT / "models", ROOT / "tests" / "broken"])
    assert [str(p) for p in parallel.problems] == [str(p) for p in serial.problems]
    assert len(serial.problems) >= 40  # the broken corpus is reported, with positions
    assert parallel.models == serial.models and parallel.paths == serial.paths


def test_checking_without_keeping_the_records_finds_the_same_problems(monkeypatch):
    targets = [ROOT / "models", ROOT / "tests" / "broken"]
    kept = load_catalogue(ROOT, targets)
    for parallel_from in (10**9, 1):  # one process, then one per core
        monkeypatch.setattr(records_module, "PARALLEL_FROM", parallel_from)
        checked = load_catalogue(ROOT, targets, keep_models=False)
        assert [str(p) for p in checked.problems] == [str(p) for p in kept.problems]
        assert checked.models == [] and checked.paths == kept.paths


def test_problems_across_records_have_positions_in_every_mode(tmp_path, monkeypatch):
    """Shared names and arXiv ids, a duplicate id and an unknown LLM: the same problems at the
    same lines whether the records are kept or not, read by one process or several."""
    root = tmp_path / "cat"
    shutil.copytree(TINY, root)
    src = (root / "models" / "alpha.yaml").read_text(encoding="utf-8")
    twin = src.replace("id: alpha", "id: twin").replace("name: Vicuna-v1.5", "name: Vicuna-v15")
    (root / "models" / "twin.yaml").write_text(twin, encoding="utf-8")
    (root / "models" / "sub").mkdir()
    (root / "models" / "sub" / "alpha.yaml").write_text(src, encoding="utf-8")
    targets = [root / "models", root / "models" / "sub"]
    runs = []
    for keep in (True, False):
        for parallel_from in (10**9, 1):
            monkeypatch.setattr(records_module, "PARALLEL_FROM", parallel_from)
            runs.append([str(p) for p in load_catalogue(root, targets, keep_models=keep).problems])
    assert all(r == runs[0] for r in runs), runs
    llm_line = next(i for i, t in enumerate(twin.splitlines(), 1) if "Vicuna-v15" in t)
    assert runs[0][0] == "models/sub/alpha.yaml:1:1: id: id 'alpha' is also used by models/alpha.yaml"
    assert runs[0][1:] == [
        "models/twin.yaml:2:1: name: 'Alpha' is already the name or an alias of 'alpha'",
        "models/twin.yaml:8:3: paper.arxiv: arXiv id 2304.08485 is already used by 'alpha'; one "
        "record per paper (list variants as aliases)",
        f"models/twin.yaml:{llm_line}:5: architecture.llm_backbone.0.name: unknown LLM 'Vicuna-v15' "
        "(did you mean 'Vicuna-v1.5'?); use a name or alias of components/llms.yaml, or add an "
        "entry there"]
