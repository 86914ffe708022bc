"""One-off transcription of the survey tracker's posts (../shared/reference/site_posts.yaml)
into `models/<id>.yaml` records.

The survey prints components as compact strings ("I: CLIP ViT-L/14@336", "Vicuna-7B/13B",
"Q-Former w/ Linear Projector"); this turns them into structured fields and keeps the printed
string in `note` wherever structure alone could lose meaning. Run once, review the diff, then
the records are the source of truth:

    python scripts/import_site_posts.py ../shared/reference/site_posts.yaml models --only-full
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from schema.model import parse_io_notation  # noqa: E402
from schema.vocabularies import projector_types  # noqa: E402

TRACKER = "https://mm-llms.github.io"
SURVEY = "https://arxiv.org/abs/2401.13601"
ADDED = "2026-11-29"
MODALITY_PREFIX = {"I": "image", "V": "video", "A": "audio", "3D": "3d", "T": "text"}
# priority when a printed projector names several kinds: the most specific first
PROJECTOR_ORDER = ["mq-former", "q-former", "p-former", "resampler", "c-abstractor",
                   "tiny-transformer", "cross-attention", "mlp", "linear"]
SIZE = re.compile(r"^\d+(\.\d+)?[MBT]$")
# encoder strings the survey prints as alternatives ('A/B'), split into one item each
ALTERNATIVES = {"CLIP/Eva-CLIP ViT@224": ["CLIP ViT@224", "Eva-CLIP ViT@224"],
                "CLIP/Eva-CLIP ViT": ["CLIP ViT", "Eva-CLIP ViT"]}


def printed_alternatives(text: str) -> bool:
    return any(k in text for k in ALTERNATIVES)


def slug(name: str) -> str:
    name = name.replace("α", "alpha").replace("*", "-star").replace("+", "-plus")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def split_prefix(text: str) -> tuple[list[str] | None, str]:
    """'I/V: Eva-CLIP ViT-G/14' -> (['image', 'video'], 'Eva-CLIP ViT-G/14')."""
    m = re.match(r"^([A-Z0-9/]+):\s*(.*)$", text)
    if not m or not all(p in MODALITY_PREFIX for p in m.group(1).split("/")):
        return None, text
    return [MODALITY_PREFIX[p] for p in m.group(1).split("/")], m.group(2).strip()


def encoders(items: list[str], inputs: list[str]) -> list[dict]:
    out = []
    for printed in items:
        mods, rest = split_prefix(printed)
        note = None
        if mods is None:  # the survey gives no modality prefix: use the model's non-text inputs
            mods = [m for m in inputs if m != "text"]
            note = f"survey prints {printed!r} without a modality prefix; modalities are the model's inputs"
        parts = [p.strip() for p in rest.split(" & ")]
        # the survey prints alternatives with '/': one item each, the printed string in the note
        parts = [alt for p in parts for alt in ALTERNATIVES.get(p, [p])]
        for part in parts:
            m = re.match(r"^(.*?)@(\d+)(.*)$", part)
            name, res = (m.group(1).strip() + m.group(3), int(m.group(2))) if m else (part, None)
            enc = {"modalities": list(mods), "name": name.strip()}
            if res:
                enc["resolution"] = res
            if len(parts) > 1 and printed_alternatives(rest):
                note = note or f"survey prints {printed!r}: alternatives, one item each"
            if len(parts) > 1 or note:
                enc["note"] = note or f"survey prints {printed!r}"
            out.append(enc)
    return out


def projector(printed: str) -> dict:
    mods, rest = split_prefix(printed)
    lowered = rest.lower()
    types = projector_types()
    found = [t for t in PROJECTOR_ORDER
             if any(k in lowered for k in types[t].matches)
             and not (t == "q-former" and "mq-former" in lowered and lowered.count("q-former") == 1)]
    entry = {"types": found or ["other"], "name": rest}
    if mods:
        entry["modalities"] = mods
    return entry


def llms(printed: str) -> list[dict]:
    out: list[dict] = []
    for part in printed.split("/"):
        part = part.strip()
        if SIZE.match(part) and out:
            out[-1]["sizes"].append(part)
            continue
        m = re.match(r"^(.*?)-(\d+(?:\.\d+)?[MBT])$", part)
        name, size = (m.group(1), m.group(2)) if m else (part, None)
        out.append({"name": name, "sizes": [size] if size else []})
    for entry in out:
        if not entry["sizes"]:
            del entry["sizes"]
    return out


def generators(items: list[str]) -> list[dict]:
    out = []
    for printed in items:
        mods, rest = split_prefix(printed)
        out.append({"modalities": mods or ["image"], "name": rest})
    return out


def component(values: list[str], convert):
    if values == ["None"]:
        return "none"
    return convert(values)


def amount(text: str):
    return "not reported" if text == "Not report" else {"amount": text, "source": SURVEY}


def record(post: dict) -> dict:
    io_in, io_out = parse_io_notation(post["io"])
    rec: dict = {
        "id": slug(post["name"]),
        "name": post["name"],
        "date": post["date"],
        "added": ADDED,
        "venue": post["venue"],
        "organizations": [o.strip() for o in post["affiliation"].split(" & ")] if post.get("affiliation") else [],
        "paper": {"title": post["paper_title"], "arxiv": post.get("arxiv_id"), "url": post["paper_url"]},
        "links": {},
        "io": {"input": io_in, "output": io_out, "notation": post["io"]},
        "functional": [f.lower() for f in post["functional"]],
        "design": post["design"][0].lower(),
    }
    if not rec["organizations"]:
        del rec["organizations"]
    if rec["paper"]["arxiv"] is None:
        del rec["paper"]["arxiv"]
    link = post.get("link")
    if link:
        rec["links"]["code" if "github.com" in link else "project"] = link
    else:
        del rec["links"]
    arch = post.get("architecture")
    if arch:
        rec["architecture"] = {
            "modality_encoder": component(arch["modality_encoder"], lambda v: encoders(v, io_in)),
            "input_projector": component(arch["input_projector"], lambda v: [projector(x) for x in v]),
            "llm_backbone": [x for v in arch["llm_backbone"] for x in llms(v)],
            "output_projector": component(arch["output_projector"], lambda v: [projector(x) for x in v]),
            "modality_generator": component(arch["modality_generator"], generators),
            "source": SURVEY,
        }
        rec["data_scale"] = {k: amount(v) for k, v in post["dataset_scale"].items()}
    rec["sources"] = [
        {"url": TRACKER, "kind": "survey",
         "note": f"the survey's tracker, post {post['source_post']}: date, venue, paper, link, "
                 "affiliation, I->O, functional and design division"},
    ]
    if arch:
        rec["sources"].append({"url": SURVEY, "kind": "survey",
                               "note": "Table 1: the five components and the data scale"})
    if post.get("paper_url") and post["paper_url"] != SURVEY:
        rec["sources"].append({"url": post["paper_url"], "kind": "paper", "note": "the model's paper"})
    return rec


class _NoAliases(yaml.SafeDumper):
    """Records never use anchors/aliases (the loader rejects them): repeat values instead."""
    def ignore_aliases(self, data) -> bool:
        return True


def dump(rec: dict) -> str:
    head = "# yaml-language-server: $schema=../schema/model.schema.json\n"
    return head + yaml.dump(rec, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("posts")
    ap.add_argument("dest")
    ap.add_argument("--only-full", action="store_true", help="only models with all five components")
    args = ap.parse_args()
    posts = yaml.safe_load(open(args.posts, encoding="utf-8"))
    dest = Path(args.dest)
    for post in posts:
        if post["kind"] != "model" or (args.only_full and "architecture" not in post):
            continue
        rec = record(post)
        (dest / f"{rec['id']}.yaml").write_text(dump(rec), encoding="utf-8")


if __name__ == "__main__":
    main()
