"""Vocabularies are data contributors edit (e.g. a new licence): a malformed entry is a one-line
error naming the file and line, never a traceback."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TINY


@pytest.mark.parametrize("mangle, expected", [
    (lambda text: text.replace("  kind: permissive\n", "", 1), "entry 'Apache-2.0': missing kind"),
    (lambda text: text.replace("  spdx: true\n", "  spdx: true\n  family: x\n", 1),
     "entry 'Apache-2.0': unknown field family"),
    (lambda text: text + "- id: MIT\n  name: again\n  spdx: true\n  kind: permissive\n",
     "id 'MIT' is listed twice"),
    (lambda text: text + "- id: X\n  name: an unclosed [bracket\nkind\n", "not valid YAML"),
])
def test_a_malformed_licence_entry_is_one_line_naming_file_and_line(tmp_path: Path, mangle, expected):
    code = tmp_path / "code"
    for package in ("schema", "builder"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    vocab = code / "schema" / "vocabularies" / "licenses.yaml"
    vocab.write_text(mangle(vocab.read_text(encoding="utf-8")), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "builder.cli", "--root", str(TINY), "validate"],
                         capture_output=True, text=True, cwd=code, env={"PYTHONPATH": str(code)})
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("mmllm: schema/vocabularies/licenses.yaml:") and expected in line, line
