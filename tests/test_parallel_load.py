"""Big catalogues are read by one process per core; the result must not depend on it."""
from __future__ import annotations

import os

import pytest

from conftest import ROOT
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
