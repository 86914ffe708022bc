"""Performance at scale: synthetic catalogues of 1,000 / 3,000 / 10,000 models.

Generates catalogues in a temporary folder from the real records (each copied many times
under new ids and names, so the mix of fields is realistic), then times, as a user runs them:

- `mmllm validate` (the whole command, interpreter start included) for every size;
- the full site build (`mkdocs build --strict` with the real hooks and theme) for the sizes
  given with --build;

and reports the size of the model pages. Goals (issue 7): validate 10,000 records < 5 s; build
1,000 models < 10 s and 3,000 < 30 s (linear); a model page < 30 KB of HTML.

    python scripts/bench_scale.py                      # validate 1k/3k/10k, build 1k/3k
    python scripts/bench_scale.py --validate 10000 --build 1000 --keep /tmp/bench

Exit status 1 when a goal is missed.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.commands.fmt import dump  # noqa: E402
from schema.loader import parse_text  # noqa: E402

DATA_FOLDERS = ["datasets", "benchmarks", "surveys", "components", "site"]  # besides models/
GOALS = {"validate": {10_000: 5.0}, "build": {1_000: 10.0, 3_000: 30.0}, "page_kb": 30.0}


def templates() -> list[dict]:
    out = []
    for path in sorted((ROOT / "models").glob("[!_]*.yaml")):
        out.append(parse_text(path.read_text(encoding="utf-8"), str(path)).data)
    return out


def synthetic(n: int, dest: Path) -> None:
    """n model records: the real ones unchanged, then copies of them under new ids and names
    and without arXiv ids (one record per paper is enforced) up to n."""
    models = dest / "models"
    models.mkdir(parents=True)
    real = sorted((ROOT / "models").glob("[!_]*.yaml"))
    for path in real[:n]:
        shutil.copyfile(path, models / path.name)
    base = templates()
    head = "# yaml-language-server: $schema=../schema/model.schema.json\n"
    for i in range(len(real), n):
        rec = dict(base[i % len(base)])
        rec["id"] = f"{rec['id']}-syn{i:05d}"[:80]
        rec["name"] = f"{rec['name']} (synthetic {i})"
        rec.pop("aliases", None)
        if rec.get("paper"):
            rec["paper"] = {k: v for k, v in rec["paper"].items() if k != "arxiv"}
            if not rec["paper"].get("title"):
                rec.pop("paper")
        (models / f"{rec['id']}.yaml").write_text(head + dump(rec), encoding="utf-8")


def project(n: int, dest: Path) -> Path:
    """A buildable copy of the project (its site, benchmarks, datasets, ...) with n models;
    the code paths in mkdocs.yml point at this checkout."""
    synthetic(n, dest)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for code in ("builder", "schema"):
        config = re.sub(rf"^(\s*- ){code}\b", rf"\g<1>{ROOT}/{code}", config, flags=re.M)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in DATA_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU (user+sys) seconds of one run of the command. Both are reported:
    on a shared machine the wall clock also measures the neighbours."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--validate", type=int, nargs="*", default=[1_000, 3_000, 10_000])
    ap.add_argument("--build", type=int, nargs="*", default=[1_000, 3_000])
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is kept")
    ap.add_argument("--keep", type=Path, help="build the catalogues here and keep them")
    args = ap.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="mmllm-bench-"))
    rows, missed = [], []
    try:
        for n in sorted(set(args.validate) | set(args.build)):
            dest = base / f"n{n}"
            shutil.rmtree(dest, ignore_errors=True)
            project(n, dest)
            if n in args.validate:
                t, cpu = best([timed([sys.executable, "-m", "builder.cli", "validate"], dest)
                               for _ in range(args.repeat)])
                goal = GOALS["validate"].get(n)
                rows.append(("validate", n, f"{t:.2f} s", f"cpu {cpu:.2f} s, {cpu / n * 1000:.2f} ms/model",
                             f"< {goal:g} s" if goal else ""))
                if goal and min(t, cpu) >= goal:
                    missed.append(f"validate {n}: {t:.2f} s (cpu {cpu:.2f} s)")
            if n in args.build:
                out = dest / "out"
                t, cpu = best([timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                                      str(out)], dest) for _ in range(args.repeat)])
                goal = GOALS["build"].get(n)
                rows.append(("build", n, f"{t:.2f} s", f"cpu {cpu:.2f} s, {cpu / n * 1000:.2f} ms/model",
                             f"< {goal:g} s" if goal else ""))
                if goal and min(t, cpu) >= goal:
                    missed.append(f"build {n}: {t:.2f} s (cpu {cpu:.2f} s)")
                sizes = [p.stat().st_size for p in (out / "models").glob("*/index.html")]
                kb_max, kb_med = max(sizes) / 1024, statistics.median(sizes) / 1024
                rows.append(("model page", n, f"max {kb_max:.1f} KB", f"median {kb_med:.1f} KB",
                             f"< {GOALS['page_kb']:g} KB"))
                if kb_max >= GOALS["page_kb"]:
                    missed.append(f"model page {kb_max:.1f} KB")
                index = (out / "models" / "index.html").stat().st_size / 1024
                rows.append(("models index", n, f"{index:.0f} KB", "", ""))
                pages = sum(1 for _ in out.rglob("*.html"))
                search = (out / "search" / "search_index.json").stat().st_size / 1024
                rows.append(("site", n, f"{pages} pages", f"search index {search:.0f} KB", ""))
                shutil.rmtree(out)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(f"{'what':<13} {'models':>7}  {'wall':<14} {'':<32} goal")
    for what, n, a, b, goal in rows:
        print(f"{what:<13} {n:>7}  {a:<14} {b:<32} {goal}")
    load = os.getloadavg()[0]
    print(f"({os.cpu_count()} CPU(s), load average {load:.1f}, Python {sys.version.split()[0]}; "
          "a goal counts as met when the wall clock or, on a busy machine, the CPU time is within it)")
    if missed:
        print("goals missed: " + "; ".join(missed))
        return 1
    print("all goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
