"""Transcribe ../shared/reference/models_2024_2026.yaml (82 MM-LLMs of 2024-2026 that the
survey's tracker does not list) into `models/<id>.yaml` records.

null -> "unknown"; the string "None" -> "none"; the file's `sources` are kept, each with a
kind (third-party for pages that are neither the model's paper, its official repository or
model card, nor its maker's own page). Component strings keep their printed form in `note`.
A model without a verifiable date is not written (the schema requires one) unless DATES below
gives one with its source.

    python scripts/import_2024_2026.py ../shared/reference/models_2024_2026.yaml models
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from import_research import clean_name, split_resolution, split_size  # noqa: E402
from import_site_posts import ADDED, dump, projector, slug  # noqa: E402
from schema.model import parse_io_notation  # noqa: E402

REFERENCE = "models_2024_2026.yaml"
PREFIX = {"I": "image", "V": "video", "A": "audio", "3D": "3d"}
# official hosts: a page here is the maker's own (or the paper's) text
OFFICIAL_HOSTS = ("ecva.net", "proceedings.iclr.cc", "machinelearning.apple.com", "ai.google.dev",
                  "cloud.google.com", "kyutai.org", "research.nvidia.com", "seed.bytedance.com")
THIRD_PARTY_GITHUB = ("BradyFU", "retkowsky")
OFFICIAL_HF = ("HuggingFaceM4", "deepseek-ai", "microsoft", "mistralai", "nvidia", "blog", "docs",
               "papers")
# short ids and aliases for entries whose name lists a family
NAMES = {
    "Claude 3 family (Opus, Sonnet, Haiku)": ("claude-3", "Claude 3", ["Claude 3 Opus", "Claude 3 Sonnet",
                                                                       "Claude 3 Haiku"]),
    "Mini-Gemini (MGM)": ("mini-gemini", "Mini-Gemini", ["MGM"]),
    "xGen-MM (BLIP-3)": ("xgen-mm", "xGen-MM", ["BLIP-3"]),
    "Gemini 2.5 (Pro / Flash)": ("gemini-2-5", "Gemini 2.5", ["Gemini 2.5 Pro", "Gemini 2.5 Flash"]),
}
# dates the reference file lacks, each read in a page with the search tools (third-party)
DATES = {
    "Gemini 2.0 Flash": ("2024-12-11", "https://thebeat.tech/articles/headline-gemini-20-googles-latest-ai-model-for-the-agentic-era",
                         "a news page dated December 11, 2024: 'Today, Google and DeepMind are rolling "
                         "out Gemini 2.0'"),
    "Idefics3": ("2024-08-26", "https://ai-search.io/papers/building-and-better-understanding-vision-language-models-insights-and-future-directions",
                 "a paper listing that dates the Idefics3 paper (arXiv 2408.12637) 2024-08-26"),
    "Transfusion": ("2024-08-20", "https://huggingface.co/collections/tonkex/llm-66c4564c96583c59b0915ee3",
                    "a Hugging Face paper collection lists arXiv 2408.11039 as 'Published Aug 20, 2024'"),
}
# Phi-3.5-Vision stays out: third-party pages disagree on its release day (a news page of
# 2024-08-21 says 'released ... on Tuesday', traictory.com says 'August 23, 2024').


def kind_of(url: str) -> str:
    host = re.sub(r"^https?://", "", url).split("/")[0]
    path = re.sub(r"^https?://[^/]+/?", "", url)
    owner = path.split("/")[0]
    if host in ("arxiv.org", "www.arxiv.org"):
        return "paper"
    if host == "github.com":
        return "third-party" if owner in THIRD_PARTY_GITHUB else "readme"
    if host == "huggingface.co":
        return "model-card" if owner in OFFICIAL_HF else "third-party"
    if host in OFFICIAL_HOSTS:
        return "project-page"
    return "third-party"


def prefixed(text: str, fallback: list[str]) -> tuple[list[str], str, str | None]:
    """'I (low-res): CLIP ViT-L/14-336' -> (['image'], 'CLIP ViT-L/14-336', 'low-res')."""
    m = re.match(r"^([A-Z0-9/]+)(?:\s*\(([^)]*)\))?:\s*(.*)$", text)
    if m and all(p in PREFIX for p in m.group(1).split("/")):
        return [PREFIX[p] for p in m.group(1).split("/")], m.group(3).strip(), m.group(2)
    return fallback, text.strip(), None


def printed_note(printed: str, name: str, extra: list[str] | None = None) -> str | None:
    parts = list(extra or [])
    if printed.strip() != name:
        parts.insert(0, f"the reference prints {printed.strip()!r}")
    return "; ".join(parts) or None


# LLM strings the generic size parsing cannot read: printed -> (name, sizes)
LLM_NAMES = {
    "Chameleon 7B / 34B decoder trained from scratch (Llama-2-style with QK-Norm)":
        ("Chameleon decoder", ["7B", "34B"]),
    "Qwen3 MoE 30B-A3B / 235B-A22B": ("Qwen3 MoE", []),
    "OLMoE-1B-7B-0924": ("OLMoE-1B-7B-0924", []),
}
# descriptions that name no component: the part stays unknown, the text goes to `notes`
GENERIC = {"llm": {"7B LLM"}, "encoder": {"image encoder"}}
# encoder strings that name a whole before its parts: 'DeepEncoder = SAM ViT-B + CLIP-L'
WHOLE = re.compile(r"^[^=]+=\s*")
UNNAMED: list[str] = []  # notes for the record being converted


def encoders(values, inputs: list[str]):
    if values is None:
        return "unknown"
    if values in ("None", ["None"]):
        return "none"
    out = []
    for printed in values:
        mods, rest, role = prefixed(str(printed), inputs)
        name = WHOLE.sub("", clean_name(rest))
        parts = [p.strip() for p in name.split(" + ")] if " + " in name else [name]
        for part in parts:
            if part in GENERIC["encoder"]:
                UNNAMED.append(f"modality_encoder: the reference describes it only as {str(printed)!r}, "
                               "not a component name, so it is left unknown")
                continue
            part, res = split_resolution(part)
            entry = {"modalities": mods, "name": part}
            if res:
                entry["resolution"] = res
            note = printed_note(str(printed), part, [f"role: {role}"] if role else None)
            if note:
                entry["note"] = note
            out.append(entry)
    return out or "unknown"


def projectors(value):
    if value is None:
        return "unknown", None
    text = str(value)
    if text == "None" or text.startswith("None"):
        return "none", (f"the reference prints {text!r}" if text != "None" else None)
    entry = projector(clean_name(text))
    if entry["types"] == ["other"]:
        entry["types"] = projector(text)["types"]
    entry.pop("modalities", None)
    note = printed_note(text, entry["name"])
    if note:
        entry["note"] = note
    return [entry], None


def llms(values):
    if values is None:
        return "unknown"
    out: list[dict] = []
    for printed in values:
        printed = str(printed)
        name = clean_name(printed)
        if printed in LLM_NAMES:
            base, sizes = LLM_NAMES[printed]
            entry = {"name": base, **({"sizes": list(sizes)} if sizes else {}),
                     "note": f"the reference prints {printed!r}"}
            out.append(entry)
            continue
        # 'Qwen2.5-0.5B/1.5B/7B-Instruct' and 'Vicuna-7B/13B-v1.5': several sizes, one family
        m = re.match(r"^(.*?)[- ]((?:\d+(?:\.\d+)?B/)+\d+(?:\.\d+)?B)(?:([- ])(.*))?$", name)
        if m:
            base = (m.group(1) + (f"{m.group(3)}{m.group(4)}" if m.group(4) else "")).strip()
            sizes = m.group(2).split("/")
        else:
            base, sizes = split_size(name)
        if base in GENERIC["llm"]:
            UNNAMED.append(f"llm_backbone: the reference describes it only as {printed!r}, "
                           "not a component name, so it is left unknown")
            continue
        entry = {"name": base}
        if sizes:
            entry["sizes"] = sizes
        note = printed_note(printed, base)
        if note:
            entry["note"] = note
        same = next((e for e in out if e["name"] == base), None)
        if same is not None:
            same.setdefault("sizes", []).extend(s for s in sizes if s not in same.get("sizes", []))
            continue
        out.append(entry)
    return out or "unknown"


def generators(values, outputs: list[str]):
    if values is None:
        return "unknown"
    if values in ("None", ["None"]):
        return "none"
    out = []
    for printed in values:
        mods, rest, role = prefixed(str(printed), outputs)
        name = clean_name(rest)
        entry = {"modalities": mods, "name": name}
        note = printed_note(str(printed), name, [f"role: {role}"] if role else None)
        if note:
            entry["note"] = note
        out.append(entry)
    return out


def record(m: dict) -> dict | None:
    ident, name, aliases = NAMES.get(m["name"], (slug(m["name"]), m["name"], []))
    notes: list[str] = []
    UNNAMED.clear()
    date = m["date"]
    extra_sources = []
    if not date:
        if m["name"] not in DATES:
            return None
        date, url, why = DATES[m["name"]]
        notes.append(f"date: the reference file gives none; {why} ({url}, third-party)")
        extra_sources.append({"url": url, "kind": "third-party", "note": "release date"})
    io_in, io_out = parse_io_notation(m["io"])
    inputs = [x for x in io_in if x != "text"] or io_in
    outputs = [x for x in io_out if x != "text"] or io_out
    rec: dict = {"id": ident, "name": name}
    if aliases:
        rec["aliases"] = aliases
    if name != m["name"]:
        notes.append(f"the reference names it {m['name']!r}")
    rec.update({"date": str(date), "added": ADDED, "venue": m["venue"]})
    if m.get("organization"):
        rec["organizations"] = [m["organization"]]
    if m.get("arxiv_id"):
        rec["paper"] = {"arxiv": str(m["arxiv_id"]), "url": f"https://arxiv.org/abs/{m['arxiv_id']}"}
    if m.get("code_url"):
        url = m["code_url"]
        rec["links"] = {"weights" if "huggingface.co" in url else "code": url}
    rec["io"] = {"input": io_in, "output": io_out, "notation": m["io"]}
    rec["functional"] = ["understanding", "generation"] if m["functional"] == "both" \
        else [m["functional"]]
    rec["design"] = m["design"] or "unknown"
    in_proj, in_note = projectors(m["input_projector"])
    out_proj, out_note = projectors(m["output_projector"])
    notes += [f"input_projector: {in_note}"] if in_note else []
    notes += [f"output_projector: {out_note}"] if out_note else []
    arch = {
        "modality_encoder": encoders(m["modality_encoder"], inputs),
        "input_projector": in_proj,
        "llm_backbone": llms(m["llm_backbone"]),
        "output_projector": out_proj,
        "modality_generator": generators(m["modality_generator"], outputs),
    }
    if any(v != "unknown" for v in arch.values()):
        rec["architecture"] = arch
    notes += UNNAMED
    for key, label in (("pt_data_scale", "pretraining"), ("it_data_scale", "instruction tuning")):
        if m.get(key):
            notes.append(f"{label} data as the reference describes it: {m[key]}")
    if isinstance(m.get("open_weights"), bool):
        rec["open_weights"] = m["open_weights"]
    if notes:
        rec["notes"] = notes
    rec["sources"] = [{"url": u, "kind": kind_of(u)} for u in m["sources"]] + extra_sources
    return rec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("dest")
    args = ap.parse_args()
    skipped = []
    for m in yaml.safe_load(open(args.reference, encoding="utf-8")):
        rec = record(m)
        if rec is None:
            skipped.append(m["name"])
            continue
        Path(args.dest, f"{rec['id']}.yaml").write_text(dump(rec), encoding="utf-8")
    if skipped:
        print("not written (no verifiable date):", ", ".join(skipped), file=sys.stderr)


if __name__ == "__main__":
    main()
