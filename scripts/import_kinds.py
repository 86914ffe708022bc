"""Transcribe the survey tracker's instruction-tuning datasets, benchmarks and related surveys
(../shared/reference/site_posts.yaml) and the benchmark facts of ../shared/reference/benchmarks.csv
into `datasets/`, `benchmarks/` and `surveys/` records. Run once, review, then the records are
the source of truth:

    python scripts/import_kinds.py ../shared/reference .
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_site_posts import ADDED, SURVEY, TRACKER, _NoAliases, slug  # noqa: E402

SURVEY_TABLE2 = ["OKVQA", "IconVQA", "VQAv2", "GQA", "VizWiz", "SQA-I", "VQA-T", "POPE", "MME-P",
                 "MME-C", "MMB", "MMB-CN", "SEED-I", "LLaVA-W", "MM-Vet", "QBench", "HM", "VSR"]
# the tracker's benchmark post names -> benchmarks.csv keys
TRACKER_KEYS = {"VQAv2": "VQAv2", "VizWiz": "VizWiz", "GQA": "GQA", "TextVQA": "VQA-T",
                "HatefulMemes": "HM", "OKVQA": "OKVQA", "IconVQA": "IconVQA",
                "ScienceQA-IMG": "SQA-I", "LLaVA-Bench (In-the-Wild)": "LLaVA-W", "VSR": "VSR",
                "SEED-Bench (Image)": "SEED-I", "MMBench-Chinese": "MMB-CN", "MMBenchmark": "MMB",
                "QBench": "QBench", "MathVista": "MathVista", "MM-Vet": "MM-Vet", "POPE": "POPE",
                "MMMU": "MMMU", "MME Cognition": "MME-C", "MME Perception": "MME-P"}
METHOD = {"Auto.": "auto", "Manu.": "manual", "Inherit": "inherit"}
CSV_SOURCE = ("the benchmark's paper and page (project reference facts, benchmarks.csv): "
              "name, task, metric, scale, direction, homepage")


def dump(rec: dict, schema: str) -> str:
    head = f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n"
    return head + yaml.dump(rec, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)


def not_reported(value) -> str:
    if value is None or str(value) in ("Not report", "None"):
        return "not reported"
    return str(value)


def tracker_post(p: dict) -> dict:
    out = {"post": p["source_post"], "name": p["name"], "date": p.get("date"),
           "venue": p.get("venue"), "paper_title": p.get("paper_title"),
           "paper_url": p.get("paper_url"), "arxiv": p.get("arxiv_id"),
           "link": p.get("link") if p.get("link") not in (None, "None") else None,
           "affiliation": p.get("affiliation")}
    return {k: v for k, v in out.items() if v is not None}


def tracker_source(p: dict, what: str) -> dict:
    return {"url": TRACKER, "kind": "survey", "note": f"the survey's tracker, post {p['source_post']}: {what}"}


def common(p: dict) -> dict:
    rec = {"date": p["date"], "added": ADDED, "venue": p.get("venue")}
    if p.get("affiliation"):
        rec["organizations"] = [o.strip() for o in p["affiliation"].split(" & ")]
    paper = {"title": p["paper_title"], "arxiv": p.get("arxiv_id"), "url": p.get("paper_url")}
    rec["paper"] = {k: v for k, v in paper.items() if v}
    link = p.get("link")
    if link and link != "None":
        rec["links"] = {"code" if "github.com" in link else "project": link}
    return rec


def dataset(p: dict, model_by_arxiv: dict[str, list[str]]) -> dict:
    rec = {"id": slug(p["name"]), "name": p["name"], **common(p), "io": p["io"],
           "type": list(p.get("type") or [])}
    if isinstance(p.get("multi_turn"), bool):
        rec["multi_turn"] = p["multi_turn"]
    if p.get("source") not in (None, "None"):
        rec["source"] = p["source"]
    printed = p.get("method")
    if printed not in (None, "None"):
        tokens = [t.strip() for t in str(printed).split("+")]
        rec["method"] = [METHOD[t] for t in tokens if t in METHOD]
        rec["method_printed"] = printed
    media = p.get("media_scale") or {}
    rec["media_scale"] = {"image": not_reported(media.get("I")), "video": not_reported(media.get("V")),
                          "audio": not_reported(media.get("A"))}
    rec["dialog_turns"] = not_reported(p.get("dialog_turns"))
    rec["instances"] = not_reported(p.get("instance_scale"))
    models = model_by_arxiv.get(p.get("arxiv_id") or "", [])
    if models:
        rec["models"] = models
    rec["sources"] = [tracker_source(p, "all fields"),
                      {"url": SURVEY, "kind": "survey", "note": "the survey's table of IT datasets"}]
    if p.get("paper_url"):
        rec["sources"].append({"url": p["paper_url"], "kind": "paper", "note": "the dataset's paper"})
    return rec


def benchmark(row: dict | None, post: dict | None, position: int) -> dict:
    notes = []
    if row:
        lo, hi = re.match(r"(\d+)-(\d+)", row["scale"]).groups()
        rec = {"key": row["key"], "name": row["name"],
               "group": "survey-table-2" if row["key"] in SURVEY_TABLE2 else "newer",
               "position": position, "task": row["task"], "metric": row["metric"],
               "scale": {"min": int(lo), "max": None if "exceed" in row["scale"] else int(hi)}}
        if not re.fullmatch(r"\d+-\d+", row["scale"]):
            rec["scale_note"] = row["scale"]
        rec["higher_is_better"] = row["higher_is_better"] == "yes"
        if row["arxiv_id"]:
            rec["arxiv"] = row["arxiv_id"]
        if row["year"]:
            rec["year"] = int(row["year"])
        if row["homepage"]:
            rec["homepage"] = row["homepage"]
        sources = [{"url": f"https://arxiv.org/abs/{row['arxiv_id']}" if row["arxiv_id"]
                    else row["homepage"], "kind": "paper" if row["arxiv_id"] else "project-page",
                    "note": CSV_SOURCE}]
    else:
        rec = {"key": post["name"], "name": post["name"], "group": "tracker", "position": position}
        if post.get("arxiv_id"):
            rec["arxiv"] = post["arxiv_id"]
        sources = []
    if post:
        rec["tracker"] = tracker_post(post)
        sources.insert(0, tracker_source(post, "name, date, venue, paper, link, affiliation"))
        if row and post.get("arxiv_id") and row["arxiv_id"] and post["arxiv_id"] != row["arxiv_id"]:
            notes.append(f"the tracker's post gives arXiv {post['arxiv_id']} ({post.get('paper_title')}) "
                         f"for this benchmark; the benchmark's own reference facts give "
                         f"{row['arxiv_id']}. Both kept: the post as printed under `tracker`.")
        if row and post.get("arxiv_id") and not row["arxiv_id"]:
            notes.append(f"the tracker's post gives arXiv {post['arxiv_id']} ({post.get('paper_title')}) "
                         "for this benchmark; the benchmark's reference facts give no arXiv id. "
                         "Kept as printed under `tracker`.")
        if not row and post.get("paper_url") and post["paper_url"] not in [s["url"] for s in sources]:
            sources.append({"url": post["paper_url"], "kind": "paper", "note": "the benchmark's paper"})
    if notes:
        rec["notes"] = notes
    rec["sources"] = sources
    return rec


def survey(p: dict) -> dict:
    rec = {"id": slug(p["name"]), "name": p["name"], "title": p["paper_title"], **common(p)}
    rec["sources"] = [tracker_source(p, "all fields")]
    if p.get("paper_url"):
        rec["sources"].append({"url": p["paper_url"], "kind": "paper", "note": "the survey itself"})
    return rec


def main(reference: str, dest: str) -> None:
    ref, out = Path(reference), Path(dest)
    posts = yaml.safe_load((ref / "site_posts.yaml").read_text(encoding="utf-8"))
    model_by_arxiv: dict[str, list[str]] = {}
    for f in sorted((out / "models").glob("*.yaml")):
        m = yaml.safe_load(f.read_text(encoding="utf-8"))
        if (m.get("paper") or {}).get("arxiv"):
            model_by_arxiv.setdefault(m["paper"]["arxiv"], []).append(m["id"])
    for kind in ("datasets", "benchmarks", "surveys"):
        (out / kind).mkdir(exist_ok=True)
    for p in posts:
        if p["kind"] == "it_dataset":
            rec = dataset(p, model_by_arxiv)
            (out / "datasets" / f"{rec['id']}.yaml").write_text(dump(rec, "dataset"), encoding="utf-8")
        elif p["kind"] == "survey":
            rec = survey(p)
            (out / "surveys" / f"{rec['id']}.yaml").write_text(dump(rec, "survey"), encoding="utf-8")
    rows = list(csv.DictReader((ref / "benchmarks.csv").open(encoding="utf-8")))
    bench_posts = {TRACKER_KEYS.get(p["name"], p["name"]): p for p in posts if p["kind"] == "benchmark"}
    order = [r["key"] for r in rows] + [k for k in bench_posts if k not in {r["key"] for r in rows}]
    by_key = {r["key"]: r for r in rows}
    for position, key in enumerate(order, 1):
        rec = benchmark(by_key.get(key), bench_posts.get(key), position)
        (out / "benchmarks" / f"{rec['key']}.yaml").write_text(dump(rec, "benchmark"), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
