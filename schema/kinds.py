"""Record kinds beside the models: instruction-tuning datasets, evaluation benchmarks, related
surveys, and the component registry (encoders, LLMs, generators).

Each kind is one folder of YAML files (`datasets/`, `benchmarks/`, `surveys/`) or, for
components, one file per component kind (`components/encoders.yaml`, ...). They are read by the
same strict loader as the models (`schema.loader`) and cross-checked by id in `schema.catalogue`.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .model import ArxivId, Links, Note, Paper, Slug, Source, Strict, Text, Url, _unique

# Benchmark keys as the survey's Table 2 prints them: 'MMB-CN', 'SQA-I', 'VQAv2'.
BenchmarkKeyText = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")]
NOT_REPORTED = "not reported"


class TrackerPost(Strict):
    """What the survey's tracker (mm-llms.github.io) prints for an entry, kept as printed."""
    post: Text = Field(description="the post file, e.g. _posts/2023-04-17-LLaVA-IT.md")
    name: Text
    date: dt.date | None = None
    venue: Text | None = None
    paper_title: Text | None = None
    paper_url: Url | None = None
    arxiv: ArxivId | None = None
    link: Url | None = None
    affiliation: Text | None = None


# -- instruction-tuning datasets -----------------------------------------------------------

class MediaScale(Strict):
    image: Text = NOT_REPORTED
    video: Text = NOT_REPORTED
    audio: Text = NOT_REPORTED


class DatasetRecord(Strict):
    """One instruction-tuning dataset. The file is `datasets/<id>.yaml`."""
    id: Slug
    name: Text
    date: dt.date
    added: dt.date
    venue: Text | None = None
    organizations: Annotated[list[Text], AfterValidator(_unique)] = []
    paper: Paper | None = None
    links: Links = Links()
    io: Text = Field(description="the tracker's I->O shorthand as printed, e.g. 'I/V+T -> T'")
    type: Annotated[list[Literal["SFT", "RLHF"]], AfterValidator(_unique)] = Field(
        [], description="empty when the tracker gives no type")
    multi_turn: bool | None = None
    source: Text | None = Field(None, description="where the data comes from, as printed")
    method: Annotated[list[Literal["auto", "manual", "inherit"]], AfterValidator(_unique)] = Field(
        [], description="how it was built: automatically, by hand, or inherited from another set")
    method_printed: Text | None = Field(None, description="the tracker's own words, e.g. 'LLaVA + Auto.'")
    media_scale: MediaScale = MediaScale()
    dialog_turns: Text = NOT_REPORTED
    instances: Text = NOT_REPORTED
    models: Annotated[list[Slug], AfterValidator(_unique)] = Field(
        [], description="ids of model records introduced by the same paper")
    notes: list[Note] = []
    sources: Annotated[list[Source], Field(min_length=1)]


# -- evaluation benchmarks ------------------------------------------------------------------

class Scale(Strict):
    min: float
    max: float | None = Field(description="null: no upper bound (e.g. LLaVA-W can exceed 100)")


class BenchmarkRecord(Strict):
    """One evaluation benchmark. The file is `benchmarks/<key>.yaml`; the key is what model
    `results` cite, so a benchmark that has a metric and a scale can be scored."""
    key: BenchmarkKeyText
    name: Text
    group: Literal["survey-table-2", "newer", "tracker"]
    position: int = Field(ge=1, description="display order: the survey's Table 2 columns first")
    task: Text | None = None
    metric: Text | None = None
    scale: Scale | None = None
    scale_note: Text | None = None
    higher_is_better: bool | None = None
    arxiv: ArxivId | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    homepage: Url | None = None
    tracker: TrackerPost | None = Field(None, description="the survey tracker's post, if it has one")
    main_protocol: Text | None = Field(
        None, description="the protocol its leaderboard ranks first, as a protocol key (a split, "
                          "a setting, or split_setting, lower case with hyphens, e.g. 'val' or "
                          "'testmini'); default: the protocol with the most scored models")
    protocol_aliases: dict[Text, Text] = Field(
        {}, description="a split or setting as a source prints it -> the name it is ranked "
                        "under, when both mean the same (e.g. 'EN test': test, '0-shot': zero-shot)")
    notes: list[Note] = []
    sources: Annotated[list[Source], Field(min_length=1)]

    @property
    def id(self) -> str:
        return self.key

    @property
    def scorable(self) -> bool:
        return self.metric is not None and self.scale is not None and self.higher_is_better is not None

    @model_validator(mode="after")
    def _complete_scale(self) -> BenchmarkRecord:
        parts = [self.metric, self.scale, self.higher_is_better]
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            raise ValueError("metric, scale and higher_is_better go together: give all three or none")
        return self


# -- related surveys -----------------------------------------------------------------------

class SurveyRecord(Strict):
    """One related survey. The file is `surveys/<id>.yaml`."""
    id: Slug
    name: Text = Field(description="the tracker's label, e.g. 'Related Survey 1'")
    title: Text
    date: dt.date
    added: dt.date
    venue: Text | None = None
    organizations: Annotated[list[Text], AfterValidator(_unique)] = []
    paper: Paper
    links: Links = Links()
    notes: list[Note] = []
    sources: Annotated[list[Source], Field(min_length=1)]


# -- component registry ----------------------------------------------------------------------

ComponentKind = Literal["encoder", "llm", "generator"]


class ComponentEntry(Strict):
    id: Slug
    name: Text = Field(description="canonical name")
    aliases: Annotated[list[Text], AfterValidator(_unique)] = []
    family: Text = Field(description="e.g. CLIP, EVA-CLIP, SigLIP, Whisper / LLaMA, Vicuna, Qwen")
    description: Note | None = None
    links: list[Url] = []

    @property
    def labels(self) -> list[str]:
        return [self.name, *self.aliases]


class ComponentFile(Strict):
    """`components/<kind>s.yaml`: every name a model record may use for that kind."""
    kind: ComponentKind
    entries: Annotated[list[ComponentEntry], Field(min_length=1)]
