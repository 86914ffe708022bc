"""`mmllm`: validate records, export the schema, build and serve the site."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from schema import load_catalogue
except ValueError as err:  # a malformed vocabulary (schema/vocabularies/*.yaml): where, no traceback
    raise SystemExit(f"mmllm: {err}") from None

from builder.data.api_schemas import record_schema_texts
from builder.data.bibtex import bibtex_file
from builder.tracking.meta import read_meta

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "model.schema.json"


def json_schema() -> str:
    return record_schema_texts()["model"]


def kind_schemas() -> dict[Path, str]:
    """JSON Schemas of the other record kinds, for editors (yaml-language-server modelines)."""
    return {ROOT / "schema" / f"{kind}.schema.json": text
            for kind, text in record_schema_texts().items() if kind != "model"}


def find_root(start: Path) -> Path | None:
    """The project folder: `start` or the nearest folder above it holding mkdocs.yml and
    models/, so that `mmllm` works from anywhere inside the project (e.g. in models/)."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "models").is_dir():
            return folder
    return None


def report(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    files = len({p.path for p in problems})
    print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)


def todo_warnings(root: Path, shown: list[str]) -> list[str]:
    """A warning per TODO marker the scaffold of `mmllm new` left in these files: a record can
    be valid while a value it holds is still a guess to check."""
    from builder.commands.fmt import todo_markers
    out = []
    for name in shown:
        try:
            text = (root / name).read_text(encoding="utf-8")  # an absolute name stays as it is
        except (OSError, UnicodeDecodeError):
            continue  # reported as a problem already
        out += [f"{name}:{line}:{col}: warning: TODO left from the scaffold; fill in the value "
                "from a source and delete the TODO" for line, col in todo_markers(text)]
    return out


def cmd_validate(args) -> int:
    # the records are checked, not kept: nothing after this needs them
    cat = load_catalogue(args.root, [Path(p) for p in args.paths] or None, keep_models=False)
    shown = {*cat.paths.values(), *(p.path for p in cat.problems),
             *(path for kind in cat.kind_paths.values() for path in kind.values())}
    for warning in todo_warnings(args.root, sorted(shown)):
        print(warning, file=sys.stderr)
    if not cat.ok:
        report(cat.problems)
        return 1
    extra = "".join(f", {len(getattr(cat, kind))} {kind[:-1]}(s)" for kind in cat.kind_paths)
    if not args.paths:
        entries = sum(len(cat.components.entries(k)) for k in cat.components.kinds())
        extra += f", {entries} component entries"
    print(f"ok: {len(cat.paths)} valid model(s){extra}")
    return 0


def cmd_stats(args) -> int:
    from builder.data.stats import catalogue_stats, read_community_list, stats_text
    cat = load_catalogue(args.root)
    if not cat.ok:
        report(cat.problems)
        return 1
    stats = catalogue_stats(cat, read_community_list(args.root))
    sys.stdout.write(json.dumps(stats, indent=2) + "\n" if args.json else stats_text(stats))
    return 0


def cmd_schema(args) -> int:
    text = json_schema()
    files = {SCHEMA_FILE: text, **kind_schemas()}
    if args.check:
        stale = [p for p, t in files.items() if not p.exists() or p.read_text(encoding="utf-8") != t]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date; run `mmllm schema --write`",
                  file=sys.stderr)
        return 1 if stale else 0
    if args.write:
        for path, t in files.items():
            path.write_text(t, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    else:
        sys.stdout.write(text)
    return 0


def _mkdocs(*argv: str, cwd: Path) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", *argv], cwd=cwd)


def cmd_build(args) -> int:
    """Validate, then build into a fresh temporary folder and swap it in only on success,
    so a failed build leaves the last good site in place."""
    cat = load_catalogue(args.root)
    if not cat.ok:
        report(cat.problems)
        return 1
    out = (args.root / args.output).resolve()
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        # not --quiet: it hides warnings from --strict, which then passes a broken site
        rc = _mkdocs("build", "--strict", "--site-dir", str(tmp), cwd=args.root)
        if rc != 0:
            print("build failed; the previous site was left as it was", file=sys.stderr)
            return rc
        old = out.with_name(out.name + ".old")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        print(f"built {len(cat.models)} model page(s) into {out}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_fmt(args) -> int:
    from builder.commands import fmt
    from schema.catalogue import record_files
    files = record_files(args.root, [Path(p) for p in args.paths] or None)
    return fmt.run(files, args.root, args.check, sys.stdout, sys.stderr)


def cmd_check_links(args) -> int:
    from builder.commands import links
    from schema.catalogue import record_files
    files = record_files(args.root, [Path(p) for p in args.paths] or None)
    settings = links.Settings(concurrency=args.concurrency, per_host_interval=args.per_host_interval,
                              retries=args.retries, timeout=args.timeout)
    return links.run(files, args.root, settings, sys.stdout, sys.stderr, args.json,
                     args.fail_on_redirect)


def port_in_use(addr: str) -> str | None:
    """Why `mkdocs serve` could not listen on HOST:PORT, or None when it can: a check first,
    so that a port still held (say by a server left running) is one line, not a traceback."""
    host, _, port = addr.rpartition(":")
    if not port.isdigit():
        return "write the address as HOST:PORT, e.g. 127.0.0.1:8000"
    try:
        family, kind, proto, _, sockaddr = socket.getaddrinfo(host.strip("[]") or None, int(port),
                                                              type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            # as the server itself binds: a port in TIME_WAIT is free, a listening one is not
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(sockaddr)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


# how long `mkdocs serve` may take to stop, once asked, before it is killed
SERVE_STOP_SECONDS = 10


def cmd_serve(args) -> int:
    """`mkdocs serve` as a child process that ends with this one: SIGTERM, SIGHUP and SIGINT
    are passed on (as SIGINT, on which mkdocs stops cleanly and removes its temporary build),
    so no server is left holding the port."""
    busy = port_in_use(args.addr)
    if busy:
        print(f"mmllm serve: cannot serve on {args.addr}: {busy}; stop what holds it (an earlier "
              "`mmllm serve`?) or pick another with --addr HOST:PORT", file=sys.stderr)
        return 1
    # its own process group: a Ctrl-C in the terminal reaches it once, through this process
    child = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.addr],
                             cwd=args.root, process_group=0)
    stopping: list[int] = []

    def stop(signum, frame):
        stopping.append(signum)
        child.send_signal(signal.SIGINT)
    handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {sig: signal.signal(sig, stop) for sig in handled}
    try:
        deadline = None
        while True:
            try:
                rc = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if stopping and deadline is None:
                    deadline = time.monotonic() + SERVE_STOP_SECONDS
                if deadline is not None and time.monotonic() > deadline:
                    child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + stopping[0] if stopping else rc


def cmd_export(args) -> int:
    """Write all benchmark results as CSV or JSON (the same content as api/results.*), or the
    BibTeX of every model (api/v1/atlas.bib)."""
    from builder.data.exports import export_results
    cat = load_catalogue(args.root)
    if not cat.ok:
        report(cat.problems)
        return 1
    if args.what == "bibtex":
        text = bibtex_file(cat.models, read_meta(args.root, "arxiv"))
    else:
        text = export_results(cat.models, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mmllm", description=__doc__)
    parser.add_argument("--root", type=Path,
                        help="project folder holding models/ and mkdocs.yml (default: the "
                             "current folder or the nearest one above it that does)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check records; report every problem as file:line:col")
    p.add_argument("paths", nargs="*",
                   help="record files or folders, checked against the whole catalogue (default: "
                        "every record of every kind: models/, datasets/, benchmarks/, surveys/, "
                        "components/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="records per kind and, per field, how many lack it")
    p.add_argument("--json", action="store_true", help='print {"counts": ..., "missing": ...}')
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("schema", help="print the JSON Schema of a model record")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help=f"write {SCHEMA_FILE.relative_to(ROOT)}")
    g.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("build", help="validate and build the site (strict), atomically")
    p.add_argument("--output", default="public", help="output folder (default: public/)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("fmt", help="normalise key order and style of records (--check: show a diff)")
    p.add_argument("paths", nargs="*", help="record files or folders (default: models/)")
    p.add_argument("--check", action="store_true", help="change nothing; print a diff, exit 1")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser("check-links", help="check every URL in the records (slow; scheduled job)")
    p.add_argument("paths", nargs="*", help="record files or folders (default: models/)")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    p.add_argument("--per-host-interval", type=float, default=1.0, metavar="SECONDS",
                   help="minimum time between two requests to one host (default 1.0)")
    p.add_argument("--retries", type=int, default=2, help="retries on errors, 429 and 5xx")
    p.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                   help="time allowed for one request (default 20)")
    p.add_argument("--json", type=Path, help="also write every result to this JSON file")
    p.add_argument("--fail-on-redirect", action="store_true", help="exit 1 on redirects too")
    p.set_defaults(func=cmd_check_links)

    p = sub.add_parser("serve", help="serve the site with live reload on record changes")
    p.add_argument("--addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default: 127.0.0.1:8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="export data: `export results --format csv|json`, `export bibtex`")
    p.add_argument("what", choices=["results", "bibtex"], metavar="results|bibtex",
                   help="what to export: results, every benchmark score with its source (the "
                        "site's api/results.csv and api/results.json); bibtex, the BibTeX entry of "
                        "every model (api/v1/atlas.bib)")
    p.add_argument("--format", choices=["csv", "json"], default="json",
                   help="of results: csv or json (default: json)")
    p.add_argument("--output", "-o", metavar="FILE", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    from builder.tracking.cli import add_commands as add_tracking_commands
    add_tracking_commands(sub)  # sync, discover, new
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.root is None:
        args.root = find_root(Path.cwd())
        if args.root is None:
            print(f"mmllm: {Path.cwd()} is not inside an MM-LLMs Atlas project (no folder from "
                  "here up holds mkdocs.yml and models/); run mmllm inside the project or pass "
                  "--root FOLDER", file=sys.stderr)
            return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `mmllm fmt --check | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
