"""Strict loading: every malformed record is rejected with file:line:column, field and hint."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, mmllm
from schema import load_catalogue
from schema.loader import MAX_BYTES, parse_text, read_file

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$")


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_record_is_rejected_with_expected_message(path: Path):
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name}: first line must be '# expect: LINE:COL: message'"
    line, col, expected = int(match[1]), int(match[2]), match[3]
    cat = load_catalogue(ROOT, [path])
    assert not cat.ok  # (a record failing only a check beyond its schema is still read, for cross-checks)
    shown = [f"{p.line}:{p.column}: {p.field + ': ' if p.field else ''}{p.message}" for p in cat.problems]
    assert any(s.startswith(f"{line}:{col}: ") and expected in s for s in shown), shown


def test_broken_corpus_is_not_empty():
    assert len(BROKEN) >= 14


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_nul_bytes_non_utf8_and_huge_files_are_rejected(tmp_path: Path):
    nul = read_file(_write(tmp_path, "nul.yaml", b"id: x\nname: a\x00b\n"))
    assert (nul.line, nul.message) == (2, "NUL byte: this is not a text file")
    latin = read_file(_write(tmp_path, "latin.yaml", b"id: x\nname: Caf\xe9\n"))
    assert latin.line == 2 and "not UTF-8" in latin.message
    huge = read_file(_write(tmp_path, "huge.yaml", b"# " + b"x" * MAX_BYTES + b"\n"))
    assert "at most 1,000,000" in huge.message
    scalar = read_file(_write(tmp_path, "scalar.yaml", b"just text\n"))
    assert "a record is a YAML mapping" in scalar.message


def test_positions_point_at_keys_and_items():
    doc = parse_text("a: 1\nb:\n  - x\n  - c: 2\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.positions[("a",)] == (1, 1)
    assert doc.positions[("b", 1)] == (4, 5)
    assert doc.positions[("b", 1, "c")] == (4, 5)
    assert doc.position(("b", 1, "c", "missing")) == (4, 5)


def test_plain_scalars_resolve_like_yaml_and_quoted_stay_text():
    doc = parse_text("n: 3\nf: 1.5\nd: 2024-01-02\nq: '2024'\nnull_: ~\nb: true\n")
    assert doc.data["n"] == 3 and doc.data["f"] == 1.5 and doc.data["q"] == "2024"
    assert str(doc.data["d"]) == "2024-01-02" and doc.data["null_"] is None and doc.data["b"] is True


def test_plain_scalars_yaml_1_2_reads_otherwise_are_found_in_keys_values_and_lists():
    doc = parse_text("a: [x, 0801]\n0o17: on\nb: '0801'\nc: 7B\nd: 1.5\ne: 2024-01-02\n")
    found = [(loc, mark, text) for loc, mark, text, _ in doc.version_dependent]
    assert found == [(("a", 1), (1, 8), "0801"), (("0o17",), (2, 1), "0o17"),
                     (("0o17",), (2, 7), "on"), (("e",), (6, 4), "2024-01-02")]
    assert [p.field for p in doc.version_problems()] == ["a.1", "0o17", "0o17", "e"]
    assert doc.data["a"][1] == "0801" and doc.data["0o17"] is True  # read as YAML 1.1 reads


def test_cross_record_checks_name_alias_and_arxiv(tmp_path: Path):
    src = (FIXTURES / "catalogue" / "models" / "llava.yaml").read_text(encoding="utf-8")
    (tmp_path / "llava.yaml").write_text(src, encoding="utf-8")
    twin = src.replace("id: llava", "id: llava-twin").replace("name: LLaVA", "name: llava")
    (tmp_path / "llava-twin.yaml").write_text(twin, encoding="utf-8")
    cat = load_catalogue(tmp_path, [tmp_path])
    messages = [str(p) for p in cat.problems]
    assert any("llava-twin.yaml:" in m and "paper.arxiv: arXiv id 2304.08485 is already used by 'llava'"
               in m for m in messages), messages
    assert any("name: 'llava' is already the name or an alias of 'llava'" in m for m in messages)


def test_validate_reports_all_problems_and_exits_1():
    proc = mmllm("validate", "tests/broken", cwd=ROOT)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    files = {line.split(":")[0] for line in lines[:-1]}
    assert len(files) == len(BROKEN)  # every broken file is reported in the one run
    assert re.fullmatch(rf"\d+ problem\(s\) in {len(BROKEN)} file\(s\)", lines[-1])


def test_validate_success_prints_one_summary_line():
    proc = mmllm("validate", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    count = len(list((ROOT / "models").glob("[!_]*.yaml")))
    assert proc.stdout.startswith(f"ok: {count} valid model(s), ") and proc.stdout.count("\n") == 1


def test_a_reader_leaving_early_is_no_traceback(tmp_path: Path):
    for i in range(80):  # enough diff output to fill the pipe after `head` has gone
        (tmp_path / f"m{i}.yaml").write_text(f"name: X\nid: m{i}\n", encoding="utf-8")
    proc = subprocess.run(f"{sys.executable} -m builder.cli fmt --check {tmp_path} | head -1",
                          shell=True, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.startswith("---") and "Traceback" not in proc.stderr
