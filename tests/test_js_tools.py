"""Records and schemas mean the same to JavaScript tools as to `mmllm`.

Editors check records against the published JSON Schemas (the yaml-language-server modeline)
and read them as YAML 1.2; other scripts use other parsers. Here the real tools do it: ajv
(JSON Schema 2020-12, patterns as ECMA-262 with the `u` flag) and the `yaml` package of npm,
pinned in tests/js/package-lock.json and run by node, once for the whole module
(tests/js/check.mjs). `.ci/run` installs them with `npm ci` where node exists.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import pytest
import yaml
from pydantic import StringConstraints, TypeAdapter, ValidationError

from builder.cli import SCHEMA_FILE, kind_schemas
from conftest import ROOT
from schema import yaml12
from schema.catalogue import KIND_DIRS, MODELS_DIR
from schema.records import files_in

JS = ROOT / "tests" / "js"
NODE = shutil.which("node")
BROKEN = sorted((ROOT / "tests" / "broken").glob("*.yaml"))
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed: the schemas and records "
                       "cannot be checked with ajv and the yaml package here"),
    pytest.mark.skipif(NODE is not None and not (JS / "node_modules" / "ajv").is_dir(),
                       reason="tests/js/node_modules is missing: run `npm ci` in tests/js "
                       "(as .ci/run does)"),
]

# The broken-record cases whose fault is in the YAML text itself: what another parser makes of
# such a file is its own business (the yaml package refuses some, reads others).
YAML_LEVEL = {
    "core-anchor": "anchors and aliases",
    "core-duplicate-key": "a duplicate key",
    "core-tab": "a tab",
    "core-tag": "a tag",
    "two-documents": "two documents in one file",
    "unclosed-flow-list": "not YAML at all",
    "nested-too-deep": "a limit of the reader (nesting depth)",
}
# The cases whose fault a JSON Schema cannot state, and why: ajv must accept each of them (so
# the list stays true). Every other case must be flagged by ajv too.
BEYOND_JSON_SCHEMA = {
    "core-id-mismatch": "the id must equal the file name",
    "date-after-added": "compares the dates of two fields",
    "core-io-mismatch": "compares io.notation with io.input and io.output",
    "result-score-out-of-scale": "the scale is in the benchmark's own record",
    "date-after-arxiv-month": "reads the month out of the arXiv id and compares it with the date",
    "variant-active-over-total": "compares two sizes written as text ('7B' > '3B')",
    "encoder-modality-not-in-io": "compares a component's modalities with the io lists",
    "generator-output-missing": "compares a generator's modalities with io.output",
    "former-id-is-own-id": "compares former_ids with the record's own id",
}


def _catalogue_files() -> list[Path]:
    folders = [ROOT / MODELS_DIR, *(ROOT / kind for kind in KIND_DIRS), ROOT / "components"]
    return files_in([f for f in folders if f.is_dir()])


def _schema_of(path: Path) -> Path:
    """The schema a record's modeline names, as an editor resolves it."""
    match = MODELINE.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.relative_to(ROOT)} has no yaml-language-server modeline"
    return (path.parent / match[1]).resolve()


# plain scalars whose reading may depend on the YAML version, for the 1.1/1.2 comparison
_SIGNS = ["", "+", "-"]
_NUMBERS = ["0", "7", "007", "017", "0801", "08", "0o17", "0x1F", "0x_1F", "0b101", "1_000",
            "1:20", "190:20:30.15", "1.", "1._", ".5", "1.5", "1.5.2", "1e3", "1E3", "1.5e3",
            "1.5e+3", "1.5E-3", ".5e1", "1_0.5", ".inf", ".Inf", ".INF", ".nan", ".NaN", "inf",
            "nan", "1.0", "80.0", "2304.08485", "0.6M", "7B", "1.4B", "2024-01-02",
            "2024-1-2", "2024-01-02T10:00:00Z", "2024-01-02 10:00:00"]
_WORDS = ["yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
          "y", "Y", "n", "N", "true", "True", "TRUE", "tRue", "false", "False", "FALSE",
          "null", "Null", "NULL", "nULL", "~", "none", "unknown", "not reported", "0801 edition"]
SCALARS = [s + n for n in _NUMBERS for s in _SIGNS] + _WORDS

# characters that tell regular expression dialects apart (ASCII, Latin-1, Unicode spaces and
# digits, the BOM, astral characters), each tried in texts that reach every published pattern
_CODEPOINTS = [*range(0x250), 0x0660, 0x0669, 0x06F0, 0x0966, 0x1680, 0x180E,
               *range(0x2000, 0x2070), 0x3000, 0xFEFF, 0xFF10, 0xFF19, 0x1D7CE, 0x1F600, 0x10FFFF]
_TEMPLATES = ["{c}", "a{c}", "A{c}", "1{c}", "{c}B", "1234.567{c}", "https://a{c}", "a{c}b\n",
              "I{c}+T -> T", "{c}T -> T"]
PROBES = [t.format(c=chr(c)) for c in _CODEPOINTS for t in _TEMPLATES]


def _patterns(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            found.add(node["pattern"])
        for value in node.values():
            _patterns(value, found)
    elif isinstance(node, list):
        for value in node:
            _patterns(value, found)
    return found


SCHEMAS = {path.name: path for path in [SCHEMA_FILE, *kind_schemas()]}
PATTERNS = sorted(set().union(*(_patterns(json.loads(p.read_text(encoding="utf-8")), set())
                                for p in SCHEMAS.values())))


@pytest.fixture(scope="module")
def js() -> dict:
    """What ajv and the yaml package make of the schemas, the records and the probes."""
    records = [{"path": str(p), "schema": _schema_of(p).name} for p in _catalogue_files()]
    records += [{"path": str(p), "schema": SCHEMA_FILE.name} for p in BROKEN]
    request = {"schemas": {name: str(path) for name, path in SCHEMAS.items()},
               "records": records, "scalars": SCALARS,
               "patterns": {pattern: PROBES for pattern in PATTERNS}}
    proc = subprocess.run([NODE, str(JS / "check.mjs")], input=json.dumps(request), cwd=JS,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    answer["records"] = {Path(r["path"]): r for r in answer["records"]}
    return answer


def test_published_schemas_compile_in_ajv(js):
    assert len(js["schemas"]) == 5
    assert {name: r["error"] for name, r in js["schemas"].items() if not r["ok"]} == {}


def test_every_record_names_a_published_schema_and_validates_there(js):
    files = _catalogue_files()
    assert len(files) > 300
    failed = {}
    for path in files:
        assert _schema_of(path) in {p.resolve() for p in SCHEMAS.values()}, path
        answer = js["records"][path]
        if answer["parse_errors"] or not answer["valid"]:
            failed[str(path.relative_to(ROOT))] = answer["parse_errors"] + answer["errors"]
    assert failed == {}


def _typed(value: Any) -> Any:
    """Data with its kinds made explicit: True is not 1, '1' is not 1, 1.0 is 1 (as in JSON)."""
    if isinstance(value, dict):
        return {"map": {json.dumps(_typed(k)): _typed(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return ("number", "nan" if math.isnan(value) else float(value))
    return (type(value).__name__, str(value))


def test_every_record_reads_the_same_under_yaml_1_1_and_1_2(js):
    differ = []
    for path in _catalogue_files():
        in_11 = yaml.safe_load(path.read_text(encoding="utf-8"))  # PyYAML: YAML 1.1
        if _typed(in_11) != _typed(js["records"][path]["data"]):
            differ.append(str(path.relative_to(ROOT)))
    assert differ == []


def test_the_comparison_sees_a_scalar_yaml_1_2_reads_otherwise(js):
    path = ROOT / "tests" / "broken" / "scalar-yaml-1-2-reads-otherwise.yaml"
    in_11 = yaml.safe_load(path.read_text(encoding="utf-8"))
    in_12 = js["records"][path]["data"]
    assert in_11["results"][0]["variant"] == "0801" and in_12["results"][0]["variant"] == 801
    assert _typed(in_11) != _typed(in_12)


def _js_value(kind: str, text: str) -> Any:
    if kind == "number":
        return float(text)
    return {"null": None, "boolean": text == "true", "string": text}[kind]


def test_yaml_1_2_reading_and_the_difference_agree_with_the_real_parsers(js):
    """schema.yaml12 (what validate and fmt use) against the yaml package and PyYAML."""
    wrong_12, wrong_differs = [], []
    for text, (kind, shown) in zip(SCALARS, js["scalars"]):
        assert kind != "not a plain scalar", text
        in_12 = _js_value(kind, shown)
        in_11 = yaml.safe_load(f"- {text}\n")[0]
        if _typed(yaml12.read_12(text)) != _typed(in_12):
            wrong_12.append((text, yaml12.read_12(text), in_12))
        if yaml12.differs(text, in_11) != (_typed(in_11) != _typed(in_12)):
            wrong_differs.append((text, in_11, in_12))
    assert wrong_12 == [] and wrong_differs == []
    assert sum(yaml12.differs(t, yaml.safe_load(f"- {t}\n")[0]) for t in SCALARS) >= 40


def test_broken_records_the_schema_can_express_are_flagged_by_ajv_too(js):
    stems = {p.stem for p in BROKEN}
    assert set(YAML_LEVEL) <= stems and set(BEYOND_JSON_SCHEMA) <= stems
    missed, listed_but_flagged = [], []
    for path in BROKEN:
        answer = js["records"][path]
        flagged = not answer["parse_errors"] and answer["valid"] is False
        if path.stem in BEYOND_JSON_SCHEMA:
            if answer["parse_errors"] or flagged:
                listed_but_flagged.append((path.stem, answer["parse_errors"] + answer["errors"]))
        elif path.stem not in YAML_LEVEL and not flagged:
            missed.append((path.stem, answer["parse_errors"]))
    assert missed == [] and listed_but_flagged == []
    assert len(BROKEN) - len(YAML_LEVEL) - len(BEYOND_JSON_SCHEMA) >= 50


def test_schema_patterns_compile_in_python_and_match_alike_in_ajv_and_pydantic(js):
    assert len(PATTERNS) >= 6
    differ = {}
    for pattern in PATTERNS:
        re.compile(pattern)  # Python's re reads it too (messages.py matches with it)
        adapter = TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])
        for probe, in_ajv in zip(PROBES, js["patterns"][pattern]):
            try:
                adapter.validate_python(probe)
                in_pydantic = True
            except ValidationError:
                in_pydantic = False
            if in_pydantic != in_ajv:
                differ.setdefault(pattern, []).append(probe)
    assert differ == {}
    # the probes reach each pattern: each accepts some and rejects some
    for pattern in PATTERNS:
        assert 0 < sum(js["patterns"][pattern]) < len(PROBES), pattern

