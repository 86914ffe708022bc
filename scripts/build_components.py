"""Seed (or extend) the component registry, `components/{encoders,llms,generators}.yaml`, from the
names the model records use.

Names that differ only in spelling ('Vicuna-v1.5', 'Vicuna v1.5', 'Vicuna-1.5') become one entry
with aliases; each entry gets a family by the rules below (its name says it: 'EVA-CLIP ViT-g' is
EVA-CLIP, 'Qwen2.5-Instruct' is Qwen). Entries already in the registry keep their id, name,
family, description and links; new names join an existing entry when they normalise alike,
else they become new entries. Review the diff: the registry is data, edited by hand after.

    python scripts/build_components.py .
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_site_posts import _NoAliases, slug  # noqa: E402

STAGES = {"modality_encoder": "encoder", "llm_backbone": "llm", "modality_generator": "generator"}
FILES = {"encoder": "encoders.yaml", "llm": "llms.yaml", "generator": "generators.yaml"}
MODELINE = "# yaml-language-server: $schema=../schema/components.schema.json\n"
HEADERS = {
    "encoder": "# Modality encoders named by model records. `name` is canonical; `aliases` are other\n"
               "# spellings sources print. A record's encoder name must be one of these (any case).\n",
    "llm": "# LLM backbones named by model records, grouped by family. Sizes live in the records\n"
           "# ('Vicuna-7B v1.5' is the entry 'Vicuna-v1.5' with size 7B).\n",
    "generator": "# Modality generators (decoders) named by model records.\n",
}
# (pattern on the lower-cased name, family); first match wins
FAMILIES = {
    "encoder": [
        (r"eva", "EVA-CLIP"), (r"siglip", "SigLIP"), (r"imagebind", "ImageBind"),
        (r"languagebind", "LanguageBind"), (r"whisper", "Whisper"), (r"beats", "BEATs"),
        (r"clap", "CLAP"), (r"hubert", "HuBERT"), (r"dino", "DINOv2"), (r"internvit", "InternViT"),
        (r"aimv2", "AIMv2"), (r"moonvit", "MoonViT"), (r"clip", "CLIP"), (r"convnext", "ConvNeXt"),
        (r"\bsam\b|sam-", "SAM"), (r"vae", "VAE"), (r"magvit|vq|tokenizer|codec|encodec", "tokenizer"),
        (r"ulip", "ULIP"), (r"nfnet", "NFNet"), (r"beit", "BEiT"), (r"swin", "Swin"),
        (r"vit|vision tower|navit", "ViT"),
    ],
    "llm": [
        (r"vicuna", "Vicuna"), (r"llava", "LLaVA"), (r"yi\b|yi-", "Yi"), (r"qwen", "Qwen"),
        (r"llama|alpaca", "LLaMA"), (r"internlm", "InternLM"), (r"mistral|mixtral", "Mistral"),
        (r"gemma", "Gemma"), (r"phi-|phi\b", "Phi"), (r"deepseek", "DeepSeek"),
        (r"glm", "GLM"), (r"flan|t5|ul2", "T5"), (r"\bopt\b", "OPT"),
        (r"gpt|codex", "GPT"), (r"palm", "PaLM"), (r"chinchilla", "Chinchilla"),
        (r"mamba", "Mamba"), (r"\bmpt\b", "MPT"), (r"redpajama", "RedPajama"),
        (r"baichuan", "Baichuan"), (r"cpm", "CPM"), (r"stablelm", "StableLM"), (r"smollm", "SmolLM"),
        (r"olmo", "OLMo"), (r"kimi|moonlight", "Kimi"), (r"mimo", "MiMo"), (r"llada", "LLaDA"),
        (r"robin", "Robin"), (r"helium", "Helium"), (r"seed", "Seed"),
    ],
    "generator": [
        (r"stable ?diffusion|sd-unet|sdxl|unclip|diffusion-unet|u-net", "Stable Diffusion"),
        (r"audioldm", "AudioLDM"), (r"zeroscope", "Zeroscope"), (r"videofusion", "VideoFusion"),
        (r"vae", "VAE"), (r"vocoder|hifi-gan|bigvgan", "vocoder"), (r"cosyvoice", "CosyVoice"),
        (r"chattts", "ChatTTS"), (r"magvit|vq|tokenizer|codec|encodec|snac|mimi", "tokenizer decoder"),
        (r"groundingdino|grounding dino", "Grounding DINO"),
    ],
}
# descriptions of a model's own, unnamed or from-scratch part ('in-house')
IN_HOUSE = re.compile(r"in-house|trained from scratch|native multimodal|^single |sparse mixture|"
                      r"undisclosed|^thinker|^talker|decoder-only|^aria |^transformer|^image encoder$|"
                      r"^speech encoder$|^speech decoder$|unified vision tower|redesigned vit|"
                      r"native-resolution vit|vit-based|vit-like|^llm$|^7b llm$|^1\.3b")


def normalise(name: str) -> str:
    s = name.lower().strip()
    s = re.sub(r"^(openai|meta)[ -]", "", s)
    s = re.sub(r" (vision tower|vision encoder|image encoder|audio encoder|speech encoder|encoder|"
               r"features|series|language model)$", "", s)
    s = re.sub(r"[^a-z0-9.+]", "", s)
    s = re.sub(r"(?<=[a-z])v(?=\d)", "", s)  # 'vicunav1.5' -> 'vicuna1.5'
    return s


def family(kind: str, name: str) -> str:
    lowered = name.lower()
    if IN_HOUSE.search(lowered):
        return "in-house"
    for pattern, fam in FAMILIES[kind]:
        if re.search(pattern, lowered):
            return fam
    return "other"


def names_in(root: Path) -> dict[str, Counter]:
    found = {k: Counter() for k in FILES}
    for path in sorted((root / "models").glob("*.yaml")):
        arch = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("architecture") or {}
        for stage, kind in STAGES.items():
            if isinstance(arch.get(stage), list):
                for item in arch[stage]:
                    found[kind][item["name"]] += 1
    return found


def build(root: Path) -> None:
    found = names_in(root)
    folder = root / "components"
    folder.mkdir(exist_ok=True)
    for kind, file in FILES.items():
        path = folder / file
        existing = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"] if path.exists() else []
        by_key: dict[str, dict] = {}
        for e in existing:
            for label in [e["name"], *e.get("aliases", [])]:
                by_key.setdefault(normalise(label), e)
        known = {label.casefold() for e in existing for label in [e["name"], *e.get("aliases", [])]}
        groups: dict[str, list[str]] = {}
        for name, _ in sorted(found[kind].items(), key=lambda kv: (-kv[1], kv[0])):
            if name.casefold() in known:
                continue
            key = normalise(name)
            if key in by_key:
                by_key[key].setdefault("aliases", []).append(name)
                known.add(name.casefold())
                continue
            groups.setdefault(key, []).append(name)
        entries = list(existing)
        ids = {e["id"] for e in entries}
        for key, names in groups.items():
            canonical, aliases = names[0], names[1:]
            ident = slug(canonical) or slug(key)
            while ident in ids:
                ident += "-x"
            ids.add(ident)
            entry = {"id": ident, "name": canonical}
            if aliases:
                entry["aliases"] = aliases
            entry["family"] = family(kind, canonical)
            entries.append(entry)
        entries.sort(key=lambda e: (e["family"].lower(), e["name"].lower()))
        text = MODELINE + HEADERS[kind] + yaml.dump({"kind": kind, "entries": entries}, Dumper=_NoAliases,
                                         sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
