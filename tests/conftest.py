from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def catalogue():
    from schema import load_catalogue
    return load_catalogue(ROOT)


@pytest.fixture(scope="session")
def tiny():
    from schema import load_catalogue
    return load_catalogue(TINY)
