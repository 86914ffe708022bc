"""Fictional records for the golden tests of trees and charts (tests only, not facts).

They are made up on purpose, so golden files do not change whenever the real catalogue grows,
and they cover the cases the views must handle: several I->O categories including
any-to-any, a tool-using system with no architecture, two encoders of one family, a
projector of two types, LLM sizes, open/closed/unreported weights and record text that
needs escaping.
"""
from __future__ import annotations

from schema import ModelRecord

SRC = [{"url": "https://example.org/fixture", "kind": "paper"}]


def _rec(id, name, date, inputs, outputs, arch=None, functional=("understanding",),
         design="end-to-end", **extra) -> ModelRecord:
    data = {"id": id, "name": name, "date": date, "added": "2026-01-01",
            "io": {"input": list(inputs), "output": list(outputs)},
            "functional": list(functional), "design": design, "sources": SRC}
    if arch is not None:
        data["architecture"] = arch
    data.update(extra)
    return ModelRecord.model_validate(data)


def _arch(enc, proj, llm, gen="none", out="none"):
    return {"modality_encoder": enc, "input_projector": proj, "llm_backbone": llm,
            "output_projector": out, "modality_generator": gen}


def fixture_models() -> list[ModelRecord]:
    return [
        _rec("alpha-vl", "Alpha-VL", "2023-02-10", ["image", "text"], ["text"],
             _arch([{"modalities": ["image"], "name": "CLIP ViT-L/14", "resolution": 336}],
                   [{"types": ["linear"], "name": "Linear"}],
                   [{"name": "Vicuna-7B", "sizes": ["7B", "13B"]}]), open_weights=True,
             results=[{"benchmark": "GQA", "score": 50.0, "variant": "7B",
                       "source": "https://example.org/fixture", "source_kind": "paper"},
                      {"benchmark": "GQA", "score": 48.5, "variant": "13B",
                       "source": "https://example.org/fixture", "source_kind": "paper"}]),
        _rec("beta-chat", "Beta <Chat> & Co", "2023-02-20", ["image", "text"], ["text"],
             _arch([{"modalities": ["image"], "name": "EVA-CLIP ViT-g"},
                    {"modalities": ["image"], "name": "EVA02-CLIP-L"}],
                   [{"types": ["q-former", "linear"], "name": "Q-Former w/ Linear"}],
                   [{"name": "LLaMA-2", "sizes": ["13B"]}]), open_weights=False,
             results=[{"benchmark": "GQA", "score": 41.0, "source": "https://example.org/fixture",
                       "source_kind": "paper"},
                      {"benchmark": "VQAv2", "score": 60.0, "setting": "zero-shot",
                       "source": "https://example.org/fixture", "source_kind": "paper"}]),
        _rec("gamma-video", "Gamma-Video", "2023-05-03", ["video", "text"], ["text"],
             _arch([{"modalities": ["video"], "name": "SigLIP-So400m"}],
                   [{"types": ["mlp"], "name": "2-layer MLP"}],
                   [{"name": "Qwen2-7B", "sizes": ["7B"]}]), aliases=["Gamma-V"]),
        _rec("delta-audio", "Delta-Audio", "2023-08-15", ["audio", "text"], ["text"],
             _arch([{"modalities": ["audio"], "name": "Whisper-large-v3"}],
                   [{"types": ["resampler"], "name": "Perceiver Resampler"}],
                   [{"name": "InternLM2-7B", "sizes": ["7B"]}]), open_weights=True),
        _rec("epsilon-gen", "Epsilon-Gen", "2023-09-01", ["image", "text"], ["image", "text"],
             _arch([{"modalities": ["image"], "name": "CLIP ViT-L/14"}],
                   [{"types": ["linear"], "name": "Linear"}],
                   [{"name": "Vicuna", "sizes": []}],
                   gen=[{"modalities": ["image"], "name": "Stable Diffusion 1.5"}],
                   out=[{"types": ["tiny-transformer"], "name": "Tiny Transformer"}]),
             functional=["understanding", "generation"]),
        _rec("zeta-any", "Zeta-Any", "2024-01-20", ["image", "video", "audio", "text"],
             ["image", "video", "audio", "text"],
             _arch([{"modalities": ["image", "video", "audio"], "name": "ImageBind"}],
                   [{"types": ["linear"], "name": "Linear"}],
                   [{"name": "Mystery-LM", "sizes": ["350M", "70B"]}],
                   gen=[{"modalities": ["image"], "name": "Stable Diffusion 2"},
                        {"modalities": ["audio"], "name": "AudioLDM"}],
                   out=[{"types": ["linear"], "name": "Linear"}]),
             functional=["generation"]),
        _rec("eta-tools", "Eta-Tools", "2024-02-02", ["image", "text"], ["image", "text"],
             functional=["generation"], design="tool-using",
             tools=[{"name": "an image generator"}]),
        _rec("theta-unknown", "Theta", "2024-03-30", ["image", "text"], ["text"],
             {"llm_backbone": [{"name": "Vicuna-13B", "sizes": ["13B"]}]}, open_weights=False),
    ]
