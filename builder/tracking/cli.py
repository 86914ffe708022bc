"""The `sync`, `discover` and `new` subcommands of `mmllm` (wired in by builder/cli.py)."""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import httpx

from schema import load_catalogue

from . import arxiv
from .discover import CONFIG, DRAFTS, ConfigError, discover, load_config, report_markdown
from .evaluate import SPLITS, LabelError, evaluate, load_labels
from .evaluate import report_markdown as evaluation_markdown
from .net import Fetcher, FetchError, HttpCache, write_atomic
from .scaffold import scaffold
from .settings import Settings, SettingError
from .sync import parse_age, parse_duration, sync

CACHE_DIR = Path(".cache") / "mmllm-http"
DEADLINE = "20m"  # a weekly run takes a few minutes; many dead hosts must not make it hours
NEW_DEADLINE = "30s"  # `mmllm new`: one lookup, with a person waiting


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def make_fetcher(service: str, cache_dir: Path | None, concurrency: int = 4,
                 settings: Settings = Settings(), transport: httpx.BaseTransport | None = None) -> Fetcher:
    """The Fetcher for one service; tests replace this function to inject a MockTransport."""
    interval = arxiv.fetcher_settings(settings) if service == "arxiv" else {}
    return Fetcher(transport=transport, min_interval=interval, timeout=settings.http_timeout,
                   retries=settings.http_retries, concurrency=1 if service == "arxiv" else concurrency,
                   cache=HttpCache(cache_dir / service if cache_dir else None))


def _settings() -> Settings | None:
    """The settings from the environment, or None after a one-line error naming the variable."""
    try:
        return Settings.from_env()
    except SettingError as exc:
        print(f"{exc}\nhint: see the Tracking section of README.md", file=sys.stderr)
        return None


def _deadline(text: str) -> float | None:
    """--deadline in seconds, or None after a one-line error."""
    try:
        seconds = parse_duration(text, "s", "a duration like 90s, 20m or 1h").total_seconds()
    except ValueError as exc:
        print(f"--deadline: {exc}", file=sys.stderr)
        return None
    if seconds <= 0:
        print(f"--deadline: {text!r} is not a duration like 90s, 20m or 1h (more than 0)", file=sys.stderr)
        return None
    return seconds


def _report(problems) -> int:
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s); fix the records first (`mmllm validate`)", file=sys.stderr)
    return 1


def _cache(args) -> Path | None:
    return None if args.no_cache else (args.root / args.cache_dir)


def cmd_sync(args) -> int:
    settings, deadline = _settings(), _deadline(args.deadline)
    if settings is None or deadline is None:
        return 2
    cat = load_catalogue(args.root)
    if not cat.ok:
        return _report(cat.problems)
    try:
        max_age = parse_age(args.max_age) if args.max_age else None
    except ValueError as exc:
        print(f"--max-age: {exc}", file=sys.stderr)
        return 2
    token = os.environ.get("GITHUB_TOKEN") or None
    fetchers = {s: make_fetcher(s, _cache(args), args.concurrency, settings=settings)
                for s in ("arxiv", "github") if s not in args.skip}
    for f in fetchers.values():
        f.set_deadline(deadline)  # one deadline for the whole run, from now
    try:
        report = sync(args.root, cat.models, cat.paths, arxiv_fetcher=fetchers.get("arxiv"),
                      github_fetcher=fetchers.get("github"), now=now(),
                      only_missing=args.only_missing, max_age=max_age, token=token, settings=settings)
    finally:
        for f in fetchers.values():
            f.close()
    text = report.markdown()
    print(text)
    if args.report:
        write_atomic(args.root / args.report, text)
    if report.not_reached:
        print(f"the deadline ({args.deadline}) ended the run: {len(report.not_reached)} lookup(s) left "
              "for the next run; what was fetched is written", file=sys.stderr)
    attempted = sum(report.fetched.values()) + len(report.failures)
    if report.failures and not sum(report.fetched.values()):
        print(f"every one of {attempted} lookup(s) failed; is the network reachable?", file=sys.stderr)
        return 1
    return 0


def _config(args):
    """The discover settings, or None after an error naming the file and field."""
    try:
        return load_config(args.root / args.config)
    except ConfigError as exc:
        print(f"{exc}\nhint: see the comments in {CONFIG}", file=sys.stderr)
        return None


def cmd_discover(args) -> int:
    if args.evaluate:  # offline: no settings, no catalogue, no network
        config = _config(args)
        return 2 if config is None else _evaluate(args, config)
    for flag, value in (("--split", args.split), ("--batch", args.batch)):
        if value:
            print(f"{flag}: only with --evaluate LABELS", file=sys.stderr)
            return 2
    settings, deadline = _settings(), _deadline(args.deadline)
    if settings is None or deadline is None:
        return 2
    cat = load_catalogue(args.root)
    if not cat.ok:
        return _report(cat.problems)
    config = _config(args)
    if config is None:
        return 2
    if args.max_results:
        config = type(config)(**{**config.__dict__, "max_results": args.max_results})
    with make_fetcher("arxiv", _cache(args), settings=settings) as fetcher:
        fetcher.set_deadline(deadline)
        try:
            found = discover(args.root, cat.models, fetcher, config, today=now().date(),
                             drafts_dir=args.root / args.drafts, write=not args.dry_run, settings=settings)
        except (FetchError, arxiv.MalformedFeed) as exc:
            print(f"discover: arXiv search failed: {exc}", file=sys.stderr)
            return 1
    text = report_markdown(found)
    print(text)
    if args.report:
        write_atomic(args.root / args.report, text)
    return 0


def _evaluate(args, config) -> int:
    """`discover --evaluate LABELS`: the rules on a labelled list, offline."""
    path = args.evaluate if args.evaluate.is_absolute() else args.root / args.evaluate
    try:
        papers = load_labels(path)
    except LabelError as exc:
        print(f"{exc}\nhint: see the header of tracking/discover_labels.yaml", file=sys.stderr)
        return 2
    result = evaluate(papers, config.rules, args.split, args.batch, config.reach)
    text = evaluation_markdown(result, str(args.evaluate), args.split, args.batch)
    print(text)
    if args.report:
        write_atomic(args.root / args.report, text)
    return 0


def cmd_new(args) -> int:
    paper, ident = None, None
    if args.id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", args.id):
        print(f"--id {args.id!r}: use lower-case letters, digits and '-', e.g. llava-1-5", file=sys.stderr)
        return 2
    if args.arxiv:
        ident = args.arxiv.strip().removeprefix("arXiv:").removeprefix("https://arxiv.org/abs/")
        ident = ident.split("v")[0] if "v" in ident else ident
        if not re.fullmatch(r"\d{4}\.\d{4,5}", ident):
            print(f"{args.arxiv!r} is not an arXiv id like 2301.12597", file=sys.stderr)
            return 2
        if not args.offline:
            settings, deadline = _settings(), _deadline(args.deadline)
            if settings is None or deadline is None:
                return 2
            with make_fetcher("arxiv", None, settings=settings) as fetcher:
                fetcher.retry_connection_errors = False  # offline: say so at once, not after retries
                fetcher.set_deadline(deadline)  # a person is waiting
                found, failed = arxiv.fetch_ids(fetcher, [ident], api=settings.arxiv_api)
            paper = found.get(ident)
            if paper is None:
                reason = failed.get(ident, "not found")
                if reason.startswith("connection failed"):
                    reason = f"arXiv is not reachable, are you offline? ({reason})"
                print(f"arXiv {ident}: {reason}; writing a template with the arXiv id only (fill the "
                      "title and date yourself, or retry later)", file=sys.stderr)
    rid, text = scaffold(paper, record_id=args.id, today=now().date(), arxiv_id=ident)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    out = args.root / args.dir / f"{rid}.yaml"
    if out.exists():
        print(f"{out} exists; choose another --id (records are never overwritten)", file=sys.stderr)
        return 1
    write_atomic(out, text)
    print(f"wrote {out}; fill in the TODOs, then run `mmllm validate {out}`")
    return 0


def add_commands(sub) -> None:
    """Add `sync`, `discover` and `new` to the `mmllm` subparsers."""
    def common(p):
        p.add_argument("--cache-dir", type=Path, default=CACHE_DIR,
                       help=f"HTTP cache for conditional requests (default: {CACHE_DIR})")
        p.add_argument("--no-cache", action="store_true", help="no ETag/Last-Modified cache")
        p.add_argument("--report", type=Path, help="also write the report (Markdown) to this file")
        p.add_argument("--deadline", default=DEADLINE, metavar="DURATION",
                       help=f"stop starting requests after this long (90s, 20m, 1h; default {DEADLINE}); "
                            "what was fetched is kept and the rest reported")

    p = sub.add_parser("sync", help="fetch arXiv and GitHub facts into models/_meta/*.json")
    p.add_argument("--only-missing", action="store_true", help="fetch only entries not fetched before")
    p.add_argument("--max-age", metavar="AGE", help="refetch entries older than AGE (7d, 12h, 2w)")
    p.add_argument("--skip", action="append", default=[], choices=["arxiv", "github"],
                   help="leave one service out (repeatable)")
    p.add_argument("--concurrency", type=int, default=4, help="GitHub requests at once (default 4)")
    common(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("discover", help="find new MM-LLM papers on arXiv; write drafts for review")
    p.add_argument("--config", type=Path, default=CONFIG, help=f"query and ranking (default: {CONFIG})")
    p.add_argument("--drafts", type=Path, default=DRAFTS, help=f"draft folder (default: {DRAFTS}/)")
    p.add_argument("--max-results", type=int, help="override max_results of the config")
    p.add_argument("--dry-run", action="store_true", help="rank and report, write no drafts")
    p.add_argument("--evaluate", type=Path, metavar="LABELS",
                   help="no search: classify a labelled list (e.g. tracking/discover_labels.yaml) and report "
                        "precision, recall and the misses")
    p.add_argument("--split", choices=SPLITS, help="with --evaluate: only the papers of this split")
    p.add_argument("--batch", type=int, metavar="N",
                   help="with --evaluate: only the papers of labelling round N (the header of the labels says "
                        "which rounds the rules were tuned on)")
    common(p)
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("new", help="scaffold a record, prefilled from arXiv when an id is given")
    p.add_argument("arxiv", nargs="?", help="arXiv id, e.g. 2301.12597")
    p.add_argument("--id", help="record id (default: from the paper's title)")
    p.add_argument("--offline", action="store_true", help="do not ask arXiv; blank fields instead")
    p.add_argument("--deadline", default=NEW_DEADLINE, metavar="DURATION",
                   help=f"give up asking arXiv after this long (default {NEW_DEADLINE})")
    p.add_argument("--dir", type=Path, default=Path("models"), help="where to write (default: models/)")
    p.add_argument("--stdout", action="store_true", help="print instead of writing a file")
    p.set_defaults(func=cmd_new)
