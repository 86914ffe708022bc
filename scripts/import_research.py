"""Merge the research helpers' component findings (staging `batch_*_output.yaml`, format in
RESEARCH_FORMAT.md) into the records of the 111 tracker models the survey does not describe in full.

The tracker's own facts (name, date, venue, paper, link, affiliation, I->O, functional, design)
come from `import_site_posts.record()` unchanged; this script only adds components, tools, open
weights, notes and sources. Rules:

- every component item keeps its `source` URL; third-party sources are said so in the item note;
- `null` stays "unknown", the string "None" becomes "none";
- values the researchers flagged as inferred (not stated) are NOT written: the component stays
  unknown and the remark goes into the record's `notes` (see INFERRED below);
- a description rather than a name (e.g. "7B LLM (prefix-tuned)") is not a component name: it
  goes into `notes` and the part stays unknown (see GENERIC below);
- tools only for tool-using systems (the tracker's design); otherwise they become a note.

    python scripts/import_research.py ../shared/reference/site_posts.yaml models \
        /work/staging/batch_{1,2,3,4}_output.yaml
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from import_site_posts import dump, projector, record  # noqa: E402

STAGES = ["modality_encoder", "input_projector", "llm_backbone", "output_projector",
          "modality_generator"]
SIZE = re.compile(r"^\d+(\.\d+)?[MBT]$")
MODALITY_WORDS = [("segmentation", "segmentation-mask"), ("mask", "segmentation-mask"),
                  ("bounding", "bounding-box"), ("image", "image"), ("video", "video"),
                  ("audio", "audio"), ("speech", "audio"), ("music", "audio"), ("3d", "3d")]

# (model, stage, item index or None for all) -> why it is not written as a fact.
# Each is a value the researchers themselves flagged as inferred / implied / not this model.
INFERRED: dict[tuple[str, str, int | None], str] = {
    ("GroundingGPT", "input_projector", None):
        "the research notes call the BLIP-2 Q-Former input projector an inference from the "
        "README's checkpoint list; left unknown until the paper confirms it",
    ("LION", "input_projector", None):
        "the research notes call the Q-Former-style connector an inference from the README's "
        "'bert-base-uncased' download; left unknown",
    ("mPLUG-PaperOwl", "modality_encoder", None):
        "the research notes say the architecture was inferred from the training script/config "
        "only (initialised from mplug-owl-llama-7b); encoder left unknown",
    ("mPLUG-PaperOwl", "llm_backbone", None):
        "the research notes say the architecture was inferred from the training script/config "
        "only (initialised from mplug-owl-llama-7b); LLM left unknown",
    ("CogAgent", "input_projector", None):
        "the MLP adapter + visual expert entry was taken from the CogVLM README on the "
        "assumption that CogAgent inherits it; left unknown",
    ("VisLingInstruct", "llm_backbone", None):
        "Vicuna-7B / FlanT5 backbones are only implied by config file names (research notes); "
        "left unknown",
    ("SEED", "llm_backbone", 1):
        "SEED-LLaMA (8B/14B) belongs to the follow-up paper arXiv 2310.01218, not this record",
    ("OMG-LLaVA", "modality_generator", None):
        "the research notes call the OMG-Seg decoder generator entry an inference from README "
        "wording; left unknown",
    ("LISA", "modality_encoder", None):
        "the SAM role (encoder and decoder) is inferred from the README's 'built upon LLaVA and "
        "SAM' (research notes); left unknown",
    ("LISA", "modality_generator", None):
        "the SAM role (encoder and decoder) is inferred from the README's 'built upon LLaVA and "
        "SAM' (research notes); left unknown",
    ("MobileVLM V2", "llm_backbone", None):
        "MobileLLaMA is named by the MobileVLM (v1) README the research read; that V2 uses it, "
        "and the sizes 1.7B/3B (model-family sizes, not LLM sizes), are not stated for V2 in a "
        "source read; left unknown",
    ("video-SALMONN", "input_projector", None):
        "the projector name was inferred from a checkpoint directory name 'MultiResQFormer' "
        "(research notes); left unknown",
}
# where the research disagrees with the tracker's own facts: the tracker's value stays, the
# disagreement is a note naming the source the researcher read
DISAGREEMENTS = {
    "CogAgent": "design: the tracker labels it tool-using; the research reads it as an end-to-end "
                "VLM, a GUI agent that outputs plans and actions as text "
                "(https://huggingface.co/papers/2312.08914, the abstract). The tracker's label is kept.",
    "RPG": "design: the tracker labels it end-to-end; the research reads it as a training-free "
           "pipeline, an (M)LLM recaptioner/planner plus a diffusion model "
           "(https://github.com/YangLing0818/RPG-DiffusionMaster). The tracker's label is kept.",
    "SEED": "io: the tracker gives I+V+T -> T; the project page and README describe text-to-image "
            "generation as well (https://ailab-cvc.github.io/seed/seed.html), hence the output "
            "projector and generator below. The tracker's I->O is kept.",
    "MLLM-Tool": "io: the tracker gives I+A+V+T outputs; the research reads the model as "
                 "recommending tools in text, the other modalities coming from the tools "
                 "(https://github.com/MLLM-Tool/MLLM-Tool). The tracker's I->O is kept.",
}
# sizes inferred from checkpoint or path names: (model, stage, index) -> remark
INFERRED_SIZES = {
    ("DetGPT", "llm_backbone", 1): "Robin 7B: size inferred only from the config path "
                                   "'output_models/robin-7b' (research notes); size left out",
}
# tool purposes the researchers inferred from tool names
INFERRED_PURPOSES = {"LLaVA-Plus": "tool purposes were inferred from tool names by the research "
                                   "helper, not quoted from a source; left out"}


def split_size(name: str) -> tuple[str, list[str]]:
    """'Mistral-7B-Instruct-v0.2' -> ('Mistral-Instruct-v0.2', ['7B']); '8x7B' stays in the name."""
    m = re.match(r"^(.+?)[- ](\d+(?:\.\d+)?[BM])(?:([- ])(.*))?$", name)
    if not m:
        return name, []
    rest = f"{m.group(3)}{m.group(4)}" if m.group(4) else ""
    return (m.group(1) + rest).strip(), [m.group(2)]


def split_resolution(name: str) -> tuple[str, int | None]:
    """'CLIP ViT-L/14@336', 'CLIP ViT-L/14 336px', 'CLIP ViT-L/14-336' -> ('CLIP ViT-L/14', 336)."""
    m = re.match(r"^(.*?/\d+|.*?patch\d+)(?:@|-| )(\d{3,4})(?:px)?$", name)
    return (m.group(1), int(m.group(2))) if m else (name, None)


def clean_name(raw: str) -> str:
    """'CLIP ViT-L/14 (openai/clip-vit-large-patch14)' -> 'CLIP ViT-L/14'."""
    name = re.sub(r"\s*-\s*inferred$", "", raw.strip())
    depth, out = 0, []
    for i, ch in enumerate(name):  # cut at the first top-level " (" or "; "
        if ch == "(" and depth == 0 and i > 0 and name[i - 1] == " ":
            break
        if ch == ";" and depth == 0:
            break
        depth += ch == "("
        depth -= ch == ")"
        out.append(ch)
    return "".join(out).strip().rstrip(",")


def source_kind(url: str, item: dict) -> str | None:
    if item.get("source_kind") == "third-party":
        return "third-party"
    if "arxiv.org" in url:
        return "paper"
    if "github.com" in url:
        return "readme"
    if "huggingface.co" in url:
        return "model-card"
    return None


def item_note(raw: str, name: str, item: dict) -> str | None:
    parts = []
    if raw.strip() != name:
        parts.append(f"source names it {raw.strip()!r}")
    if item.get("source_kind") == "third-party":
        parts.append("third-party source, not a primary one")
    if item.get("quote"):
        parts.append(f"quote: \"{str(item['quote']).strip()}\"")
    return "; ".join(parts)[:2000] or None


def modalities_of(text, fallback: list[str]) -> list[str]:
    if isinstance(text, list):
        return [m for m in text if isinstance(m, str)] or fallback
    lowered = str(text or "").lower()
    found: list[str] = []
    for word, mod in MODALITY_WORDS:
        if word in lowered and mod not in found:
            if mod == "image" and ("segmentation-mask" in found or "bounding-box" in found):
                continue
            found.append(mod)
    return found or fallback


def load_generic(path: Path) -> dict[str, set[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: {n.casefold() for n in v} for k, v in data.items()}


class Merger:
    def __init__(self, generic: dict[str, set[str]]):
        self.generic = generic

    def is_generic(self, stage: str, name: str) -> bool:
        return name.casefold() in self.generic.get(stage, set())

    def stage(self, model: str, stage: str, value, rec: dict, notes: list[str]):
        if value is None:
            return "unknown"
        if value == "None" or value == ["None"]:
            return "none"
        inputs = [m for m in rec["io"]["input"] if m != "text"] or rec["io"]["input"]
        outputs = [m for m in rec["io"]["output"] if m != "text"] or rec["io"]["output"]
        out = []
        for index, item in enumerate(value):
            why = INFERRED.get((model, stage, None)) or INFERRED.get((model, stage, index))
            if why:
                notes.append(f"{stage}: {why} (source read: {item.get('source')})")
                continue
            raw = str(item["name"])
            name = clean_name(raw)
            url = item.get("source")
            if stage in ("modality_encoder", "llm_backbone", "modality_generator") and \
                    self.is_generic(stage, name):
                third = " (third-party source)" if item.get("source_kind") == "third-party" else ""
                sizes = f"; sizes {', '.join(map(str, item['sizes']))}" if item.get("sizes") else ""
                notes.append(f"{stage}: the source describes it only as {raw.strip()!r}{sizes} — "
                             f"not a component name, so left unknown ({url}){third}")
                continue
            note = item_note(raw, name, item)
            if stage == "modality_encoder":
                name = re.sub(r"^Hybrid vision encoder ", "", name)
                names = [n.strip() for n in name.split(" + ")] if " + " in name else [name]
                for n in names:
                    n, printed_res = split_resolution(n)
                    entry = {"modalities": modalities_of(item.get("modalities"), inputs), "name": n}
                    if printed_res:
                        entry["resolution"] = printed_res
                    elif item.get("resolution") and len(names) == 1:
                        entry["resolution"] = int(item["resolution"])
                    n_note = note if len(names) == 1 else \
                        "; ".join(filter(None, [f"source prints the combination {raw.strip()!r}",
                                                item_note(raw, raw.strip(), item)]))
                    if n_note:
                        entry["note"] = n_note
                    entry["source"] = url
                    out.append(entry)
                continue
            if stage in ("input_projector", "output_projector"):
                entry = projector(name)
                typed = projector(raw)  # the printed text may name the kind in its remark
                entry["types"] = typed["types"] if entry["types"] == ["other"] else entry["types"]
                mods = item.get("modalities")
                if mods:
                    entry["modalities"] = list(mods)
                else:
                    entry.pop("modalities", None)
            elif stage == "llm_backbone":
                given, odd = [], []
                for s in item.get("sizes") or []:
                    (given if SIZE.match(str(s)) else odd).append(str(s))
                if (model, stage, index) in INFERRED_SIZES:
                    notes.append(f"{stage}: {INFERRED_SIZES[(model, stage, index)]}")
                    given, odd = [], []
                alternatives = [a.strip() for a in name.split(" / ")]
                if len(alternatives) > 1:
                    note = "; ".join(filter(None, [f"source lists the alternatives {name!r}", note]))
                for alt in alternatives:
                    base, sizes = split_size(alt)
                    if len(alternatives) == 1:
                        sizes += [s for s in given if s not in sizes]
                    llm = next((e for e in out if e["name"] == base), None)
                    if llm is not None:  # 'Vicuna-7B / Vicuna-13B': one entry, two sizes
                        llm.setdefault("sizes", []).extend(s for s in sizes if s not in llm["sizes"])
                        continue
                    entry = {"name": base}
                    if sizes:
                        entry["sizes"] = sizes
                    this = note
                    if odd:
                        this = "; ".join(filter(None, [f"sizes as the source gives them: "
                                                       f"{', '.join(odd)}", note]))
                    if this:
                        entry["note"] = this
                    entry["source"] = url
                    out.append(entry)
                continue
            else:  # modality_generator
                entry = {"modalities": modalities_of(item.get("modality"), outputs), "name": name}
            if note:
                entry["note"] = note
            entry["source"] = url
            out.append(entry)
        return out or "unknown"


def merge(rec: dict, found: dict, merger: Merger) -> dict:
    model = found["name"]
    notes: list[str] = [DISAGREEMENTS[model]] if model in DISAGREEMENTS else []
    arch = {stage: merger.stage(model, stage, found.get(stage), rec, notes) for stage in STAGES}
    if arch["llm_backbone"] == "none":
        arch["llm_backbone"] = "unknown"
    if any(v != "unknown" for v in arch.values()):
        rec["architecture"] = arch
    tools = found.get("tools") or []
    if tools and rec["design"] == "tool-using":
        rec["tools"] = []
        for t in tools:
            entry = {"name": clean_name(str(t["name"])) or str(t["name"])}
            purpose = None if model in INFERRED_PURPOSES else t.get("purpose")
            remarks = [str(purpose)] if purpose else []
            if entry["name"] != str(t["name"]).strip():
                remarks.append(f"source names it {str(t['name']).strip()!r}")
            if t.get("source_kind") == "third-party":
                remarks.append("third-party source")
            if remarks:
                entry["purpose"] = "; ".join(remarks)
            entry["source"] = t["source"]
            rec["tools"].append(entry)
        if model in INFERRED_PURPOSES:
            notes.append(INFERRED_PURPOSES[model])
    elif tools:
        names = ", ".join(str(t["name"]) for t in tools)
        notes.append(f"the research helper lists auxiliary modules as tools ({names}; "
                     f"{', '.join(sorted({t['source'] for t in tools}))}); the tracker's design is "
                     f"{rec['design']}, so they are not recorded as tools")
    for stage, value in (found.get("data_scale") or {}).items():
        if isinstance(value, dict) and value.get("value"):
            third = " (third-party)" if value.get("source_kind") == "third-party" else ""
            notes.append(f"{stage.replace('_', ' ')} data as a source describes it: "
                         f"{value['value']} ({value.get('source')}){third}")
    if isinstance(found.get("open_weights"), bool) and found.get("open_weights_source"):
        rec["open_weights"] = found["open_weights"]
    if found.get("notes"):
        notes.append("research notes: " + " ".join(str(found["notes"]).split()))
    rec["notes"] = [n[:2000] for n in notes]
    # every URL the components cite, once, with its kind
    seen = {s["url"] for s in rec["sources"]}
    items = [i for stage in STAGES if isinstance(found.get(stage), list) for i in found[stage]]
    items += tools
    cited = [(i["source"], i) for i in items if i.get("source")]
    if rec.get("open_weights") is not None:
        cited.append((found["open_weights_source"], {"open": True}))
    for url, item in cited:
        if url in seen or not str(url).startswith(("http://", "https://")):
            continue
        seen.add(url)
        entry = {"url": url}
        kind = source_kind(url, item)
        if kind:
            entry["kind"] = kind
        entry["note"] = "open weights" if item.get("open") else \
            "components found by the catalogue's research (see the items that cite it)"
        rec["sources"].append(entry)
    for key in ("architecture", "tools", "open_weights", "notes"):
        if key in rec and rec[key] in ([], None):
            del rec[key]
    # keep field order as the schema lists it
    order = ["id", "name", "aliases", "date", "added", "venue", "organizations", "paper", "links",
             "io", "functional", "design", "architecture", "tools", "data_scale", "open_weights",
             "results", "notes", "sources"]
    return {k: rec[k] for k in order if k in rec}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("posts")
    ap.add_argument("dest")
    ap.add_argument("batches", nargs="+")
    ap.add_argument("--generic", default=str(Path(__file__).with_name("research_generic.yaml")))
    args = ap.parse_args()
    posts = {p["name"]: p for p in yaml.safe_load(open(args.posts, encoding="utf-8"))
             if p["kind"] == "model"}
    merger = Merger(load_generic(Path(args.generic)))
    for batch in args.batches:
        for found in yaml.safe_load(open(batch, encoding="utf-8")):
            post = posts[found["name"]]
            if "architecture" in post:
                continue  # the survey's own Table 1 record stays as it is
            rec = merge(record(post), found, merger)
            Path(args.dest, f"{rec['id']}.yaml").write_text(dump(rec), encoding="utf-8")


if __name__ == "__main__":
    main()
