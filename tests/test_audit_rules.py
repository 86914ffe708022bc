"""Cross-field rules that keep a record's date, io and components consistent (the re-audit of
2026-11): what each rule rejects and what it must keep accepting."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from schema.model import ModelRecord


def record(**changes) -> dict:
    base = {
        "id": "x", "name": "X", "date": "2024-06-18", "added": "2026-11-30",
        "paper": {"arxiv": "2406.12246"},
        "io": {"input": ["image", "text"], "output": ["text"]},
        "functional": ["understanding"], "design": "end-to-end",
        "architecture": {"modality_encoder": [{"modalities": ["image"], "name": "CLIP ViT-L/14"}],
                         "output_projector": "none", "modality_generator": "none"},
        "sources": [{"url": "https://example.org"}],
    }
    base.update(changes)
    return base


def rejects(data: dict, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        ModelRecord.model_validate(data)
    assert words in str(err.value)


def test_date_later_than_the_arxiv_month_needs_a_note():
    rejects(record(date="2024-09-25"), "later than the month of arXiv id 2406.12246")
    ModelRecord.model_validate(record(date="2024-09-25", date_note="the weights came first"))
    ModelRecord.model_validate(record(date="2024-06-30"))
    ModelRecord.model_validate(record(date="2024-05-30"))  # an earlier official release is fine


def test_generator_modalities_are_outputs():
    arch = record()["architecture"] | {
        "modality_generator": [{"modalities": ["image"], "name": "Stable Diffusion"}]}
    rejects(record(architecture=arch), "makes image, but io.output")
    ModelRecord.model_validate(record(architecture=arch, io={"input": ["image", "text"],
                                                             "output": ["image", "text"]}))


def test_encoders_and_projectors_handle_the_models_io():
    arch = record()["architecture"]
    audio = arch | {"modality_encoder": arch["modality_encoder"] + [
        {"modalities": ["audio"], "name": "Whisper audio encoder"}]}
    rejects(record(architecture=audio), "handles audio, but io.input")
    video_encoder = arch | {"modality_encoder": [{"modalities": ["image", "video"], "name": "CLIP ViT-L/14"}]}
    rejects(record(architecture=video_encoder), "handles video")
    # an image encoder reads the frames of a video or the pages of a document
    ModelRecord.model_validate(record(io={"input": ["video", "text"], "output": ["text"]}))
    ModelRecord.model_validate(record(io={"input": ["document", "text"], "output": ["text"]}))
    out_proj = arch | {"output_projector": [{"types": ["mlp"], "name": "P", "modalities": ["audio"]}]}
    rejects(record(architecture=out_proj), "output projector 'P' handles audio, but io.output")


def test_a_generated_output_needs_a_generator_unless_tools_make_it():
    io = {"input": ["image", "text"], "output": ["image", "text"]}
    rejects(record(io=io), "modality_generator is none, but io.output has image")
    ModelRecord.model_validate(record(io={"input": ["image", "text"],
                                          "output": ["retrieved-image", "text"]}))
    ModelRecord.model_validate(record(io=io, design="tool-using"))
    ModelRecord.model_validate(record(io=io, architecture=record()["architecture"]
                                      | {"modality_generator": "unknown"}))
