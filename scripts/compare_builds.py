"""Proof for refactors: build the site from a git revision and from the working tree (or a
second revision) and compare every file of the two builds, byte for byte.

    python scripts/compare_builds.py                 # HEAD against the working tree
    python scripts/compare_builds.py main            # a branch or commit against the working tree
    python scripts/compare_builds.py REV_A REV_B     # two revisions
    python scripts/compare_builds.py REV --keep /tmp/builds   # keep both builds there

A revision is exported with `git archive` (tracked files only) into a temporary folder and
built there with `python -m builder.cli build`, so its own code is imported; the working tree
is built in place. Both builds get the same SOURCE_DATE_EPOCH, which MkDocs uses for the
sitemap's dates and the gzip header of sitemap.xml.gz, so equal sources give equal files.

Prints every file that is only in one build or differs (with the first lines of a text diff)
and the build times; exit status 1 when the builds differ or a build fails.
"""
from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKTREE = "WORKTREE"
EPOCH = "1700000000"  # any fixed time: both builds must only agree with each other
DIFF_LINES = 20


def export(rev: str, dest: Path) -> Path:
    """The tracked files of `rev` in dest (git archive, so no checkout is touched)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT,
                             capture_output=True, check=False)
    if archive.returncode != 0:
        sys.exit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryFile() as tar:
        tar.write(archive.stdout)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as tf:
            tf.extractall(dest, filter="data")
    return dest


def build(source: Path, output: Path) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)  # `python -m` from `source` imports that tree's builder
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--output", str(output)],
                         cwd=source, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"build of {source} failed:\n{run.stdout}{run.stderr}")
    return time.perf_counter() - start


def files_of(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def text_diff(a: Path, b: Path) -> list[str]:
    try:
        left, right = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ["    (binary files differ)"]
    lines = list(difflib.unified_diff(left.splitlines(), right.splitlines(), "a", "b", n=1,
                                      lineterm=""))
    shown = ["    " + line[:200] for line in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        shown.append(f"    … {len(lines) - DIFF_LINES} more diff lines")
    return shown


def compare(a: Path, b: Path) -> list[str]:
    """One report line (plus diff lines) per file that is not the same in both builds."""
    fa, fb = files_of(a), files_of(b)
    out = [f"only in A: {p}" for p in fa if p not in fb]
    out += [f"only in B: {p}" for p in fb if p not in fa]
    for path in fa.keys() & fb.keys():
        if fa[path].read_bytes() != fb[path].read_bytes():
            out.append(f"differs: {path}")
            out += text_diff(fa[path], fb[path])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev_a", nargs="?", default="HEAD", help="git revision (default HEAD)")
    ap.add_argument("rev_b", nargs="?", default=WORKTREE,
                    help="git revision, or the working tree when left out")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep the builds")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        work = args.keep or Path(tmp)
        builds = {}
        for label, rev in (("A", args.rev_a), ("B", args.rev_b)):
            source = ROOT if rev == WORKTREE else export(rev, work / f"src-{label}")
            output = work / f"site-{label}"
            seconds = build(source, output)
            builds[label] = output
            print(f"{label}: {'working tree' if rev == WORKTREE else rev} built in {seconds:.1f} s"
                  f" ({len(files_of(output))} files)")
        report = compare(builds["A"], builds["B"])
        for line in report:
            print(line)
        changed = sum(1 for line in report if not line.startswith("    "))
        print(f"{changed} file(s) differ" if changed else "identical: every file is the same")
        return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
