#!/usr/bin/env bash
# Run the README's test command in a fresh virtual environment with every direct dependency
# of pyproject.toml at its LOWER bound (each `>=X` pinned to `==X` through a pip constraints
# file), or, with `--newest`, at the newest versions the bounds allow.
#   scripts/check_dependency_bounds.sh [--oldest|--newest] [VENV_DIR] [-- PYTEST_ARGS...]
# The venv defaults to a new temporary folder; it is removed afterwards unless named.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=oldest
if [[ "${1:-}" == --oldest || "${1:-}" == --newest ]]; then mode=${1#--}; shift; fi
venv=${1:-}
[[ $# -gt 0 ]] && shift
[[ "${1:-}" == -- ]] && shift
keep=1
if [[ -z "$venv" || "$venv" == -- ]]; then venv=$(mktemp -d /tmp/mmllm-bounds.XXXXXX); keep=0; fi
export NO_MKDOCS_2_WARNING=1 PIP_DISABLE_PIP_VERSION_CHECK=1

python3 -m venv "$venv"
constraints="$venv/constraints.txt"
# the lower bound of every dependency (and test extra) that has one
python3 - "$mode" >"$constraints" <<'PY'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
for requirement in requirements:
    match = re.match(r"^([A-Za-z0-9._-]+)\s*(?:\[[^]]*\])?\s*(.*)$", requirement)
    name, spec = match[1], match[2]
    lower = re.search(r">=\s*([^,;\s]+)", spec)
    if sys.argv[1] == "oldest" and lower:
        print(f"{name}=={lower[1]}")
PY
echo "constraints ($mode):"; sed 's/^/  /' "$constraints"
# pip's own chatter goes to a log, shown only when the install fails
if ! { "$venv/bin/python" -m pip install -q --upgrade pip &&
       "$venv/bin/python" -m pip install -q -c "$constraints" -e ".[test]"; } >"$venv/pip.log" 2>&1; then
  cat "$venv/pip.log"; exit 1
fi
"$venv/bin/python" -m pip list --format=freeze | grep -i -E '^(pydantic|pyyaml|jinja2|httpx|mkdocs|mkdocs-material|pytest|playwright)=='
status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" || status=$?
[[ $keep == 0 ]] && rm -rf "$venv"
exit $status
